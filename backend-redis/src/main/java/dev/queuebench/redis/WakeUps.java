package dev.queuebench.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes waiting claims when jobs arrive. {@code enqueue.lua}, {@code requeue_dead.lua} and {@code fail.lua} (for a
 * retry) PUBLISH on the queue's wake channel; this process subscribes once per queue on its pub/sub connection
 * (Lettuce subscribes again after a reconnect) and moves that queue's {@link Signal}. A woken claim looks again and,
 * finding only scheduled jobs, sleeps until the first comes due. A message lost while disconnected only costs a
 * waiting claim its poll interval.
 */
final class WakeUps extends RedisPubSubAdapter<String, byte[]> {
    private final StatefulRedisPubSubConnection<String, byte[]> connection;
    private final RedisConnections connections;
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();
    private volatile boolean closed;

    WakeUps(RedisConnections connections) {
        this.connections = connections;
        this.connection = connections.pubSub();
        connection.addListener(this);
    }

    /** The channel's signal, once Redis has confirmed the subscription: every later PUBLISH moves it. */
    Signal subscribe(String channel) {
        Signal signal = signals.computeIfAbsent(channel,
                c -> new Signal(connection.async().subscribe(c).toCompletableFuture()));
        try {
            connections.await(signal.subscribed);
        } catch (RuntimeException e) {
            signals.remove(channel, signal);
            throw e;
        }
        return signal;
    }

    /** A PUBLISH carries how many jobs arrived: that many waiters wake, not all of them for one job. */
    @Override
    public void message(String channel, byte[] message) {
        Signal signal = signals.get(channel);
        if (signal != null) {
            signal.move(announcedJobs(message));
        }
    }

    /** Releases every waiter; they then find the backend closed. */
    void close() {
        closed = true;
        signals.values().forEach(signal -> signal.move(Integer.MAX_VALUE));
        connection.removeListener(this);
    }

    private static int announcedJobs(byte[] message) {
        try {
            return Integer.parseInt(new String(message, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** A generation counter per queue, moved by each wake-up; waiters sleep until it moves past what they saw. */
    final class Signal {
        private final CompletableFuture<Void> subscribed;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition moved = lock.newCondition();
        private long generation;

        private Signal(CompletableFuture<Void> subscribed) {
            this.subscribed = subscribed;
        }

        /** The current generation; read it before looking for jobs, then {@link #awaitMove} from it. */
        long generation() {
            lock.lock();
            try {
                return generation;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Returns once the generation is past {@code seen} (at once if it already is), the backend closes, this waiter
         * is among those a wake-up picks, or {@code nanos} have passed.
         */
        void awaitMove(long seen, long nanos) throws InterruptedException {
            lock.lock();
            try {
                long left = nanos;
                while (generation == seen && !closed && left > 0) {
                    left = moved.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Moves the generation and wakes up to {@code waiters} of the threads waiting. */
        private void move(int waiters) {
            lock.lock();
            try {
                generation++;
                if (waiters >= 16) {
                    moved.signalAll();
                } else {
                    for (int i = 0; i < waiters; i++) {
                        moved.signal();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
