package dev.queuebench.postgres;

import dev.queuebench.jdbc.QueueSignals;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Where waiting claims park. With notify on, one thread holds one connection (outside the pool) that LISTENs on the
 * schema's channel and wakes the waiters of the queue each notification names; if that connection is lost it
 * reconnects and then wakes every waiter, since notifications sent meanwhile are gone. Waiters always wake after at
 * most their timeout, so a lost notification costs at most the poll interval the caller passes.
 */
final class WakeUpListener implements AutoCloseable {
    /** How long one read for notifications blocks; bounds how long {@link #close()} waits for the thread. */
    private static final int READ_MILLIS = 200;

    private final QueueSignals signals = new QueueSignals();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private final DataSource connections;
    private final String channel;
    private final Duration reconnectDelay;
    private final Thread thread;

    /** Parks waiters on timeouts only: no connection, no thread. */
    static WakeUpListener pollingOnly() {
        return new WakeUpListener(null, null, Duration.ZERO);
    }

    /**
     * Listens on {@code channel} through connections from {@code connections}; returns once the LISTEN is in place
     * (so an enqueue right after open wakes a waiting claim), or after {@code startTimeout} if it is not, in which
     * case waiters fall back to their timeouts until the listener connects.
     */
    static WakeUpListener listening(DataSource connections, String channel, Duration reconnectDelay,
            Duration startTimeout) throws InterruptedException {
        WakeUpListener listener = new WakeUpListener(connections, channel, reconnectDelay);
        listener.thread.start();
        listener.firstListen.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return listener;
    }

    private WakeUpListener(DataSource connections, String channel, Duration reconnectDelay) {
        this.connections = connections;
        this.channel = channel;
        this.reconnectDelay = reconnectDelay;
        this.thread = Thread.ofPlatform().daemon().name("queuebench-postgres-listen-" + channel).unstarted(this::run);
    }

    /** Where waiting claims park; woken per notification, and all at once after a reconnect or on close. */
    QueueSignals signals() {
        return signals;
    }

    /** Stops listening and wakes every waiter; idempotent. */
    @Override
    public void close() {
        closed.countDown();
        signals.close();
        if (thread.isAlive()) {
            try {
                thread.join(Duration.ofMillis(READ_MILLIS * 5L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The listening thread: connect, LISTEN, wake waiters per notification; on loss, pause and start again. */
    private void run() {
        while (closed.getCount() > 0) {
            try (Connection connection = connections.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("LISTEN \"" + channel + "\"");
                firstListen.countDown();
                signals.wakeAll(); // anything sent while we were not listening is lost
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (closed.getCount() > 0) {
                    PGNotification[] notifications = pg.getNotifications(READ_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            signals.wake(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // the connection is gone or never came: waiters fall back to their timeouts until it is back
            }
            try {
                closed.await(reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
