package dev.queuebench.nats;

import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The leases this backend holds. JetStream has one AckWait per consumer, not per claim, so the server's timer is only
 * the fallback for a backend that stopped answering; a live backend keeps each lease for exactly the claimed
 * duration: a clock thread sends progress ({@code +WPI}, which restarts the server's AckWait) while a lease runs
 * longer than AckWait, and ends the lease at its deadline through {@code onExpiry} (a nak, or a dead letter on the
 * last attempt).
 *
 * <p>A lease is valid while its deadline is ahead and the server has confirmed holding it for longer: the last
 * confirmed progress (or the pull that delivered it) plus AckWait less a safety margin of a fifth. So a backend that
 * was paused or cut off past the server's AckWait refuses its stale lease instead of acking a redelivered job.
 */
final class Leases implements AutoCloseable {
    private static final long TICK_MILLIS = 25;

    /** One lease: mutable deadlines, read and written by the clock thread and the callers. */
    static final class Lease {
        final Delivery delivery;
        final String queue;
        final int attempt;
        volatile long deadline;
        volatile long serverHoldsUntil;
        volatile long lastProgress;

        private Lease(Delivery delivery, String queue, int attempt, long deadline, long pulledAt) {
            this.delivery = delivery;
            this.queue = queue;
            this.attempt = attempt;
            this.deadline = deadline;
            this.lastProgress = pulledAt;
        }

        String token() {
            return delivery.ackSubject();
        }
    }

    private final Connection connection;
    private final long ackWait;
    private final long safeHold;
    private final Duration requestTimeout;
    private final Consumer<Lease> onExpiry;
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock;

    Leases(Connection connection, Duration ackWait, Duration requestTimeout, Consumer<Lease> onExpiry) {
        this.connection = connection;
        this.ackWait = ackWait.toNanos();
        this.safeHold = ackWait.toNanos() - ackWait.toNanos() / 5;
        this.requestTimeout = requestTimeout;
        this.onExpiry = onExpiry;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "qb-nats-leases");
            thread.setDaemon(true);
            return thread;
        });
        clock.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts holding a delivery for {@code duration}; the server holds it for AckWait from its pull request on. */
    Lease start(Delivery delivery, String queue, int attempt, Duration duration) {
        long pulledAt = delivery.requestedAt();
        Lease lease = new Lease(delivery, queue, attempt, System.nanoTime() + duration.toNanos(), pulledAt);
        lease.serverHoldsUntil = pulledAt + safeHold;
        held.put(lease.token(), lease);
        return lease;
    }

    /**
     * The valid lease of {@code token} on {@code queue}, no longer held; null when it is not held, held for another
     * queue (left held then) or no longer valid.
     */
    Lease take(String queue, String token) {
        Lease lease = held.get(token);
        if (lease == null || !lease.queue.equals(queue) || !held.remove(token, lease)) {
            return null;
        }
        if (!isValid(lease, System.nanoTime())) {
            onExpiry.accept(lease);
            return null;
        }
        return lease;
    }

    /**
     * True and the lease now ends {@code duration} from now, when it was valid and on {@code queue}; the server is
     * told at once.
     */
    boolean extend(String queue, String token, Duration duration) {
        Lease lease = held.get(token);
        long now = System.nanoTime();
        if (lease == null || !lease.queue.equals(queue) || !isValid(lease, now)) {
            return false;
        }
        lease.deadline = now + duration.toNanos();
        sendProgress(lease, now);
        return true;
    }

    /** Forgets every lease of {@code queue} (its jobs were purged). */
    void forgetQueue(String queue) {
        held.values().removeIf(lease -> lease.queue.equals(queue));
    }

    private boolean isValid(Lease lease, long now) {
        return now < lease.deadline && now < lease.serverHoldsUntil;
    }

    private void tick() {
        long now = System.nanoTime();
        for (Lease lease : held.values()) {
            if (!isValid(lease, now)) {
                if (held.remove(lease.token(), lease)) {
                    try {
                        onExpiry.accept(lease);
                    } catch (RuntimeException e) {
                        // the server redelivers after AckWait all the same
                    }
                }
            } else if (lease.deadline - now > lease.serverHoldsUntil - now && now - lease.lastProgress > ackWait / 3) {
                sendProgress(lease, now);
            }
        }
    }

    /** {@code +WPI} as a request: the server's answer confirms it restarted AckWait, counted from before sending. */
    private void sendProgress(Lease lease, long sentAt) {
        lease.lastProgress = sentAt;
        connection.requestWithTimeout(lease.token(), "+WPI".getBytes(StandardCharsets.US_ASCII), requestTimeout)
                .thenRun(() -> lease.serverHoldsUntil = Math.max(lease.serverHoldsUntil, sentAt + safeHold));
    }

    /** Stops the clock; the server redelivers the leases still held after AckWait. */
    @Override
    public void close() {
        clock.shutdownNow();
        held.clear();
    }
}
