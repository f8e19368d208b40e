package dev.queuebench.tck;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.FailResult.Outcome;
import dev.queuebench.api.QueueBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Records every claim result (id, token, when the claim started and returned, the lease expiry) and every settling
 * call, then judges them: exclusivity per delivery, whatever the tokens. Thread-safe: many claimers share one.
 *
 * <p>Judgements are conservative, so a loaded machine cannot fake a violation: a lease is taken as certainly valid
 * from the moment its claim returned until the first of its expiry (less the clock tolerance) and the start of the
 * call that settled it; two deliveries of one job violate exclusivity when those windows overlap. A settling call
 * refused is a lost lease when the call returned (not merely started) before the lease could expire.
 */
public final class DeliveryRecorder {
    private final Duration clockTolerance;
    private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final Map<String, Delivery> byToken = new ConcurrentHashMap<>();
    private final Queue<String> lostLeases = new ConcurrentLinkedQueue<>();

    /** One claim result of one job. */
    private static final class Delivery {
        final ClaimedJob job;
        final Instant started;
        final Instant returned;
        volatile Instant settleStarted;
        volatile Instant settleEnded;
        volatile boolean completed;

        Delivery(ClaimedJob job, Instant started, Instant returned) {
            this.job = job;
            this.started = started;
            this.returned = returned;
        }

        /** Until when this lease was certainly valid. */
        Instant heldUntil(Duration tolerance) {
            Instant expiry = job.leaseExpiresAt().minus(tolerance);
            return settleStarted != null && settleStarted.isBefore(expiry) ? settleStarted : expiry;
        }

        @Override
        public String toString() {
            return job.id() + " token " + job.leaseToken() + " attempt " + job.attempt() + " claimed "
                    + started + ".." + returned + " lease to " + job.leaseExpiresAt()
                    + (settleStarted == null ? "" : " settled from " + settleStarted);
        }
    }

    public DeliveryRecorder(Duration clockTolerance) {
        this.clockTolerance = clockTolerance;
    }

    /** Claims through {@code q} and records each job returned. */
    public List<ClaimedJob> claim(QueueBackend q, String queue, int maxJobs, Duration lease, Duration wait) {
        Instant started = Instant.now();
        List<ClaimedJob> claimed = q.claim(queue, maxJobs, lease, wait);
        Instant returned = Instant.now();
        for (ClaimedJob job : claimed) {
            Delivery delivery = new Delivery(job, started, returned);
            deliveries.add(delivery);
            byToken.merge(job.id() + '\0' + job.leaseToken(), delivery, (a, b) -> a);
        }
        return claimed;
    }

    /** Completes through {@code q}; a refusal by a call that returned before the lease could expire is lost. */
    public boolean complete(QueueBackend q, ClaimedJob job) {
        Instant started = Instant.now();
        boolean done = q.complete(job);
        settled(job, started, done, done ? null : "complete() == false");
        return done;
    }

    /** {@link #complete} for a batch, in one {@code completeAll} call. */
    public List<Boolean> completeAll(QueueBackend q, List<ClaimedJob> jobs) {
        Instant started = Instant.now();
        List<Boolean> answers = q.completeAll(jobs);
        for (int i = 0; i < jobs.size(); i++) {
            boolean done = answers.get(i);
            settled(jobs.get(i), started, done, done ? null : "completeAll() answered false");
        }
        return answers;
    }

    /** Fails through {@code q}; {@code LEASE_LOST} from a call that returned before the expiry is recorded as lost. */
    public FailResult fail(QueueBackend q, ClaimedJob job, String error) {
        Instant started = Instant.now();
        FailResult result = q.fail(job, error);
        boolean lost = result.outcome() == Outcome.LEASE_LOST;
        settled(job, started, false, lost ? "fail() == LEASE_LOST" : null);
        return result;
    }

    /**
     * Records a settling call that started at {@code started} and has just returned; a refusal counts as a lost lease
     * only when the call returned before the lease could have expired. The backend judges the lease at its own moment
     * within the call (after a lock wait, say), so a call that started in time but returned after the expiry (less
     * the clock tolerance) may rightly be refused.
     */
    private void settled(ClaimedJob job, Instant started, boolean completed, String refusal) {
        Instant ended = Instant.now();
        Delivery delivery = byToken.get(job.id() + '\0' + job.leaseToken());
        if (delivery != null && delivery.settleStarted == null) {
            delivery.settleStarted = started;
            delivery.settleEnded = ended;
            delivery.completed = completed;
        }
        if (refusal != null && ended.isBefore(job.leaseExpiresAt().minus(clockTolerance))) {
            lostLeases.add(refusal + " for " + job + " called at " + started + " and returned at " + ended
                    + ", before its lease could expire");
        }
    }

    /** How many times each job was delivered. */
    public Map<String, Long> deliveriesPerJob() {
        return deliveries.stream().collect(Collectors.groupingBy(d -> d.job.id(), Collectors.counting()));
    }

    /** Every job delivered so far, as claimed. */
    public List<ClaimedJob> claimed() {
        return deliveries.stream().map(d -> d.job).toList();
    }

    /**
     * Every violation seen: two deliveries of one job whose leases were both certainly valid at once (whatever the
     * tokens), a job delivered after a completion of it had returned true, and settling calls refused for a lease
     * that cannot have expired. Empty when the backend kept exclusivity and fencing.
     */
    public List<String> violations() {
        List<String> found = new ArrayList<>(lostLeases);
        Map<String, List<Delivery>> perJob = deliveries.stream()
                .collect(Collectors.groupingBy(d -> d.job.id()));
        for (List<Delivery> ofJob : perJob.values()) {
            List<Delivery> sorted = new ArrayList<>(ofJob);
            sorted.sort(Comparator.comparing((Delivery d) -> d.returned));
            for (int i = 0; i < sorted.size(); i++) {
                for (int j = i + 1; j < sorted.size(); j++) {
                    Delivery a = sorted.get(i);
                    Delivery b = sorted.get(j);
                    Instant bothFrom = a.returned.isAfter(b.returned) ? a.returned : b.returned;
                    Instant aUntil = a.heldUntil(clockTolerance);
                    Instant bUntil = b.heldUntil(clockTolerance);
                    Instant bothUntil = aUntil.isBefore(bUntil) ? aUntil : bUntil;
                    if (bothFrom.isBefore(bothUntil)) {
                        found.add("two valid leases at once: " + a + " and " + b);
                    } else if (a.completed && a.settleEnded.isBefore(b.started)) {
                        found.add("delivered after it was completed: " + a + " then " + b);
                    }
                }
            }
        }
        return found;
    }
}
