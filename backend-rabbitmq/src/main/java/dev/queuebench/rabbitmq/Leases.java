package dev.queuebench.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The leases this backend holds. The broker keeps an unacknowledged delivery for as long as its channel lives, with
 * no timer per delivery, so the lease's end is kept here: a clock thread ends each lease at its deadline through
 * {@code onExpiry} (the job published again with the attempt counted, or a dead letter on the last attempt). A lease
 * is valid while its deadline is ahead and its channel is open; every settling call takes it out first, so each
 * delivery tag is acked once.
 */
final class Leases implements AutoCloseable {
    private static final long TICK_MILLIS = 10;

    /** One lease: the delivery on its lane, the job it carries and its deadline. */
    static final class Lease {
        final String token;
        final Lane lane;
        final long deliveryTag;
        final String queue;
        final JobHeaders job;
        final byte[] body;
        final int attempt;
        volatile long deadline;

        private Lease(Lane lane, long deliveryTag, String queue, JobHeaders job, byte[] body, int attempt,
                long deadline) {
            this.token = UUID.randomUUID().toString();
            this.lane = lane;
            this.deliveryTag = deliveryTag;
            this.queue = queue;
            this.job = job;
            this.body = body;
            this.attempt = attempt;
            this.deadline = deadline;
        }
    }

    private final Consumer<Lease> onExpiry;
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock;

    Leases(Consumer<Lease> onExpiry) {
        this.onExpiry = onExpiry;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "qb-rabbitmq-leases");
            thread.setDaemon(true);
            return thread;
        });
        clock.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts holding a delivery for {@code duration}. */
    Lease start(Lane lane, long deliveryTag, String queue, JobHeaders job, byte[] body, int attempt,
            Duration duration) {
        Lease lease = new Lease(lane, deliveryTag, queue, job, body, attempt, System.nanoTime() + duration.toNanos());
        held.put(lease.token, lease);
        return lease;
    }

    /**
     * The valid lease of {@code token} on {@code queue}, no longer held; null when it is not held, held for another
     * queue (left held then) or no longer valid (ended then).
     */
    Lease take(String queue, String token) {
        Lease lease = held.get(token);
        if (lease == null || !lease.queue.equals(queue) || !held.remove(token, lease)) {
            return null;
        }
        if (!isValid(lease, System.nanoTime())) {
            end(lease);
            return null;
        }
        return lease;
    }

    /** True and the lease now ends {@code duration} from now, when it was valid and on {@code queue}. */
    boolean extend(String queue, String token, Duration duration) {
        Lease lease = held.get(token);
        long now = System.nanoTime();
        if (lease == null || !lease.queue.equals(queue) || !isValid(lease, now)) {
            return false;
        }
        lease.deadline = now + duration.toNanos();
        return held.get(token) == lease;
    }

    /** Ends now every lease of {@code queue} whose time is up (so a claim or a read sees the result at once). */
    void endExpired(String queue) {
        long now = System.nanoTime();
        for (Lease lease : held.values()) {
            if (lease.queue.equals(queue) && !isValid(lease, now) && held.remove(lease.token, lease)) {
                end(lease);
            }
        }
    }

    /** How many leases of {@code queue} this backend holds. */
    long count(String queue) {
        return held.values().stream().filter(lease -> lease.queue.equals(queue)).count();
    }

    /** How many leases this backend holds. */
    long count() {
        return held.size();
    }

    /** Takes every lease of {@code queue} (its jobs are being purged). */
    List<Lease> takeQueue(String queue) {
        List<Lease> taken = new ArrayList<>();
        for (Lease lease : held.values()) {
            if (lease.queue.equals(queue) && held.remove(lease.token, lease)) {
                taken.add(lease);
            }
        }
        return taken;
    }

    private static boolean isValid(Lease lease, long now) {
        return now < lease.deadline && lease.lane.isOpen();
    }

    private void end(Lease lease) {
        if (!lease.lane.isOpen()) {
            return; // the broker requeued the delivery with its channel
        }
        try {
            onExpiry.accept(lease);
        } catch (RuntimeException e) {
            // the lease's channel was closed by the failure: the broker requeues its deliveries
            Link.closeQuietly(lease.lane.channel);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (Lease lease : held.values()) {
            if (!isValid(lease, now) && held.remove(lease.token, lease)) {
                end(lease);
            }
        }
    }

    /** Stops the clock; the broker requeues the leases still held when the connection closes. */
    @Override
    public void close() {
        clock.shutdownNow();
        held.clear();
    }
}
