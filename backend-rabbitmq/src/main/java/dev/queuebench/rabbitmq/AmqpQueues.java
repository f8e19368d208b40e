package dev.queuebench.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The AMQP queues of one queue, named {@code <prefix>:<strategy>:<queue>}: the work queue (quorum or classic, as the
 * strategy says: the broker refuses to declare one name with other arguments, so the type is in the name), holding
 * queues for delayed jobs and retries (classic, per-message TTL, dead-lettered into the work queue when due), and
 * the dead-letter queue (classic). A holding queue only expires the message at its head, so delays are kept apart by
 * size: a job waits at most behind jobs of its own bucket.
 */
record AmqpQueues(String queue, String work, List<String> holding, String dead) {
    /** The longest delay each holding queue takes, in order; the last takes every longer one. */
    static final List<Duration> BUCKETS = List.of(Duration.ofSeconds(2), Duration.ofMinutes(1),
            Duration.ofDays(36_500));
    private static final List<String> BUCKET_NAMES = List.of(":delayed", ":delayed:1m", ":delayed:long");

    /** The names for {@code queue} under {@code prefix} and {@code strategy}. */
    static AmqpQueues of(String prefix, String strategy, String queue) {
        String work = prefix + ":" + strategy + ":" + queue;
        List<String> holding = new ArrayList<>();
        BUCKET_NAMES.forEach(suffix -> holding.add(work + suffix));
        return new AmqpQueues(queue, work, List.copyOf(holding), work + ":dead");
    }

    /** The holding queue for a job due in {@code delay}. */
    String holdingFor(Duration delay) {
        for (int i = 0; i < BUCKETS.size() - 1; i++) {
            if (delay.compareTo(BUCKETS.get(i)) <= 0) {
                return holding.get(i);
            }
        }
        return holding.getLast();
    }

    /** Every AMQP queue of this queue: work, holding, dead. */
    List<String> all() {
        List<String> names = new ArrayList<>();
        names.add(work);
        names.addAll(holding);
        names.add(dead);
        return names;
    }
}
