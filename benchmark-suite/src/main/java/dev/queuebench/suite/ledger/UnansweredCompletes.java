package dev.queuebench.suite.ledger;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import dev.queuebench.suite.workers.WorkerPool;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The look into the backend behind {@link Ledger.Fate#COMPLETED_UNCONFIRMED}. A job whose last run sent
 * {@code complete} and never got the answer (the worker died or timed out, or the call threw) may or may not have
 * been completed. Once every consumer has stopped and every report has been read, each such job is looked for in the
 * backend, by id, through the SPI alone (it has no per-id lookup, and every backend must be checkable):
 * <ol>
 *   <li>wait until the job's own lease has ended: had its complete not taken effect, the job is then ready again
 *       (or dead, on its last attempt), as every backend's {@code stats} and {@code claim} count an expired lease;
 *   <li>claim the queue until it is empty: every ready job comes back, by id;
 *   <li>read the dead letters: every dead job comes back, by id;
 *   <li>{@code stats}: nothing ready or scheduled, and nothing leased beyond what step 2 holds. These are the states
 *       no call names by id; a count of zero shows the job is in none of them.
 * </ol>
 * A job named by neither step 2 nor step 3 while step 4 holds is in no state of the backend: it is gone, and it is
 * completed_unconfirmed. A job found ready stays lost (its complete did not take effect and the drain gave up on it);
 * one found dead is dead; when step 4 does not hold within a lease, the job stays lost with what was counted. Only
 * jobs whose complete was sent are looked for: a job the backend drops without being asked to complete it is still
 * lost. A backend that drops exactly a job whose complete is in flight cannot be told from one that completed it by
 * anyone who cannot see its commit; that is what "unconfirmed" says.
 */
public final class UnansweredCompletes {
    /** The look's own claims hold their jobs this long; the case purges the queue right after. */
    private static final Duration CHECK_LEASE = Duration.ofMinutes(5);
    private static final int CLAIM_BATCH = 1_000;
    private static final int DEAD_LETTER_LIMIT = 100_000;

    private UnansweredCompletes() {}

    /**
     * Looks for every unanswered complete of {@code ledger} in {@code backend} (after the consumers stopped) and
     * records what it found in the ledger. {@code lease} is the longest lease the case's consumers took: how long
     * to wait for leases nobody reported (a worker killed between its claim and its report) to end.
     */
    static void check(QueueBackend backend, List<String> queues, Ledger ledger, Duration lease) {
        Map<String, List<Ledger.Unanswered>> byQueue = ledger.unansweredCompletes().stream()
                .collect(Collectors.groupingBy(Ledger.Unanswered::queue, LinkedHashMap::new, Collectors.toList()));
        if (byQueue.isEmpty()) {
            return;
        }
        Instant leasesEnded = byQueue.values().stream().flatMap(List::stream).map(Ledger.Unanswered::leaseEnd)
                .max(Instant::compareTo).orElseThrow().plus(WorkerPool.STALE_SLACK);
        sleepUntil(leasesEnded);
        Instant giveUp = Instant.now().plus(lease).plus(WorkerPool.STALE_SLACK);
        for (Map.Entry<String, List<Ledger.Unanswered>> queue : byQueue.entrySet()) {
            Look look = new Look(backend, queue.getKey());
            while (!look.round() && Instant.now().isBefore(giveUp)) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            queue.getValue().forEach(job -> look.record(job, ledger));
        }
    }

    private static void sleepUntil(Instant until) {
        for (long left = Duration.between(Instant.now(), until).toNanos(); left > 0;
                left = Duration.between(Instant.now(), until).toNanos()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Steps 2 to 4 for one queue, repeated until the counts hold; the ids it claimed over all rounds. */
    private static final class Look {
        private final QueueBackend backend;
        private final String queue;
        private final Set<String> claimed = new HashSet<>();
        private Set<String> dead = Set.of();
        private QueueStats stats;
        private Instant at;

        Look(QueueBackend backend, String queue) {
            this.backend = backend;
            this.queue = queue;
        }

        /** One round; true when nothing is ready, scheduled, or leased beyond this look's own claims. */
        boolean round() {
            at = Instant.now();
            for (List<ClaimedJob> jobs = claim(); !jobs.isEmpty(); jobs = claim()) {
                jobs.forEach(job -> claimed.add(job.id()));
            }
            dead = backend.deadLetters(queue, DEAD_LETTER_LIMIT).stream().map(DeadJob::id).collect(Collectors.toSet());
            stats = backend.stats(queue);
            return accounted();
        }

        private boolean accounted() {
            return stats.ready() == 0 && stats.scheduled() == 0 && stats.leased() == claimed.size();
        }

        private List<ClaimedJob> claim() {
            return backend.claim(queue, CLAIM_BATCH, CHECK_LEASE, Duration.ZERO);
        }

        void record(Ledger.Unanswered job, Ledger ledger) {
            if (claimed.contains(job.id())) {
                ledger.noteCheck(queue, job.id(), "still in the backend at " + at + ", after its lease had ended ("
                        + job.leaseEnd() + "): claiming the queue returned it, so its complete did not take effect");
            } else if (dead.contains(job.id())) {
                ledger.dead(queue, job.id());
            } else if (!accounted()) {
                ledger.noteCheck(queue, job.id(), "not found gone: at " + at + " the backend still counted "
                        + stats.ready() + " ready, " + stats.scheduled() + " scheduled and "
                        + (stats.leased() - claimed.size()) + " leased job(s) that no call names by id");
            } else {
                ledger.confirmGone(job, "complete of attempt " + job.attempt() + " sent at " + job.sentAt()
                        + ", no answer; at " + at + ", after its lease had ended (" + job.leaseEnd()
                        + "), the backend no longer had it: claiming the queue empty did not return it ("
                        + claimed.size() + " other job(s) came back), its " + dead.size()
                        + " dead letter(s) do not list it, and it counted no ready, scheduled or other leased job");
            }
        }
    }
}
