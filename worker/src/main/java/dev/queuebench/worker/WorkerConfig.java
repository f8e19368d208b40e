package dev.queuebench.worker;

import dev.queuebench.api.QueueNames;
import java.time.Duration;
import java.util.List;

/**
 * The settings of one {@link QueueWorker}, validated: every error names the builder option it came from. Built by
 * {@link QueueWorker.Builder}; immutable.
 *
 * @param queues              the queues, visited round-robin, one claim at a time
 * @param concurrency         handler loops, so at most this many handlers run at once
 * @param claimBatch          jobs one loop claims at once and then runs one after another
 * @param claimAhead          a loop claims its next batch (without waiting) while the last job of its batch runs
 * @param lease               the lease each claim asks for, and each extension renews
 * @param claimWait           how long a claim waits for a job once every queue came up empty; 0: poll, pausing 1 ms
 * @param ackBatch            acknowledgements of one queue sent together with {@code completeAll}, at most
 * @param ackDelay            longest an acknowledgement waits for its batch to fill; 0 sends each at once
 * @param extendLeaseAfter    share of the lease after which a held job's lease is extended; 0 never extends
 * @param virtualThreads      handler loops on virtual threads instead of platform threads
 * @param interruptOnLostLease a handler whose lease is lost is interrupted, besides {@link Job#leaseLost()}
 * @param drainTimeout        how long {@link QueueWorker#close()} waits for held jobs before leaving them
 */
public record WorkerConfig(
        List<String> queues,
        int concurrency,
        int claimBatch,
        boolean claimAhead,
        Duration lease,
        Duration claimWait,
        int ackBatch,
        Duration ackDelay,
        double extendLeaseAfter,
        boolean virtualThreads,
        boolean interruptOnLostLease,
        Duration drainTimeout) {

    public static final int DEFAULT_CONCURRENCY = 1;
    public static final int DEFAULT_CLAIM_BATCH = 1;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLAIM_WAIT = Duration.ofSeconds(1);
    public static final int DEFAULT_ACK_BATCH = 64;
    public static final Duration DEFAULT_ACK_DELAY = Duration.ofMillis(5);
    public static final double DEFAULT_EXTEND_LEASE_AFTER = 0.5;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public WorkerConfig {
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("queue: name at least one queue to work on");
        }
        queues.forEach(QueueNames::requireValid);
        queues = List.copyOf(queues);
        if (queues.stream().distinct().count() != queues.size()) {
            throw new IllegalArgumentException("queue: each queue may be named once, got " + queues);
        }
        atLeastOne("concurrency", concurrency);
        atLeastOne("claimBatch", claimBatch);
        atLeastOne("ackBatch", ackBatch);
        if (lease.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least 1ms, was " + lease);
        }
        notNegative("claimWait", claimWait);
        notNegative("ackDelay", ackDelay);
        notNegative("drainTimeout", drainTimeout);
        if (ackDelay.compareTo(lease) >= 0) {
            throw new IllegalArgumentException(
                    "ackDelay must be shorter than the lease (" + lease + "), was " + ackDelay);
        }
        if (!(extendLeaseAfter == 0 || extendLeaseAfter > 0 && extendLeaseAfter < 1)) {
            throw new IllegalArgumentException(
                    "extendLeaseAfter must be a share of the lease between 0 and 1 (exclusive), or 0 to never extend,"
                            + " was " + extendLeaseAfter);
        }
    }

    /** True when held jobs have their leases extended. */
    public boolean extendsLeases() {
        return extendLeaseAfter > 0;
    }

    private static void atLeastOne(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
    }

    private static void notNegative(String option, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, was " + value);
        }
    }
}
