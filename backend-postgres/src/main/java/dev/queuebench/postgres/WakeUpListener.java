package dev.queuebench.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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

    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private final DataSource connections;
    private final String channel;
    private final Duration reconnectDelay;
    private final Thread thread;

    /** Per queue: a counter of wake-ups, and the condition its waiters park on. */
    private static final class Signal {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        long generation;
    }

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

    /** The queue's wake-up count; read it before looking for jobs, then pass it to {@link #await}. */
    long generation(String queue) {
        Signal signal = signal(queue);
        signal.lock.lock();
        try {
            return signal.generation;
        } finally {
            signal.lock.unlock();
        }
    }

    /**
     * Returns once the queue has been woken since {@code seenGeneration} was read, the listener closed, or
     * {@code timeout} passed, whichever is first. A wake-up between reading the generation and calling this is not
     * lost.
     */
    void await(String queue, long seenGeneration, Duration timeout) throws InterruptedException {
        Signal signal = signal(queue);
        long remaining = timeout.toNanos();
        signal.lock.lock();
        try {
            while (signal.generation == seenGeneration && remaining > 0 && closed.getCount() > 0) {
                remaining = signal.changed.awaitNanos(remaining);
            }
        } finally {
            signal.lock.unlock();
        }
    }

    /** Wakes the waiters of one queue. */
    void wake(String queue) {
        Signal signal = signals.get(queue);
        if (signal != null) {
            signal.lock.lock();
            try {
                signal.generation++;
                signal.changed.signalAll();
            } finally {
                signal.lock.unlock();
            }
        }
    }

    /** Stops listening and wakes every waiter; idempotent. */
    @Override
    public void close() {
        closed.countDown();
        signals.keySet().forEach(this::wake);
        if (thread.isAlive()) {
            try {
                thread.join(Duration.ofMillis(READ_MILLIS * 5L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Signal signal(String queue) {
        return signals.computeIfAbsent(queue, q -> new Signal());
    }

    /** The listening thread: connect, LISTEN, wake waiters per notification; on loss, pause and start again. */
    private void run() {
        while (closed.getCount() > 0) {
            try (Connection connection = connections.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("LISTEN \"" + channel + "\"");
                firstListen.countDown();
                signals.keySet().forEach(this::wake); // anything sent while we were not listening is lost
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (closed.getCount() > 0) {
                    PGNotification[] notifications = pg.getNotifications(READ_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            wake(notification.getParameter());
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
