package dev.queuebench.tck;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.FailResult.Outcome;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** Clauses of leases, fencing, retries with backoff, dead letters and delayed jobs. */
public abstract class LeaseClauses extends ClaimClauses {

    // ---------------------------------------------------------------- leases

    @ContractTest
    void expiredLeaseIsRedeliveredWithNextAttemptNotBeforeItsExpiry(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("slow")).withMaxAttempts(3));
        ClaimedJob first = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();

        TimedClaim second = awaitClaim(q, queue, SHORT_LEASE.plus(SLACK));

        assertThat(second.returned()).as("redelivered no earlier than the lease's expiry")
                .isAfterOrEqualTo(first.leaseExpiresAt().minus(clockTolerance()));
        assertThat(second.job().id()).isEqualTo(id);
        assertThat(second.job().attempt()).isEqualTo(2);
        assertThat(second.job().leaseToken()).isNotEqualTo(first.leaseToken());
        assertThat(second.job().payload()).isEqualTo(bytes("slow"));
    }

    @ContractTest
    void validLeaseKeepsTheJobFromOtherClaims(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("held")));
        q.claim(queue, 1, ofSeconds(5), ZERO);

        assertThat(q.claim(queue, 1, LONG_LEASE, ofMillis(600))).isEmpty();
        assertStats(q, queue, new QueueStats(0, 0, 1, 0));
    }

    @ContractTest
    void leaseRunsFromClaimTimeNotFromEnqueueTime(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("waited")));
        pause(ofMillis(700));
        Duration lease = ofMillis(1200);
        Instant claimStarted = Instant.now();
        ClaimedJob job = q.claim(queue, 1, lease, ZERO).getFirst();

        assertThat(job.leaseExpiresAt()).as("lease end = claim time + lease")
                .isAfterOrEqualTo(claimStarted.plus(lease).minus(clockTolerance()));
        pause(ofMillis(600));
        Instant probeStarted = Instant.now();
        List<ClaimedJob> probe = q.claim(queue, 1, LONG_LEASE, ZERO);
        Instant probeReturned = Instant.now();
        // The backend looks at its own moment within the probe (after a lock wait or a first statement, say), so
        // only a probe that returned before the lease could end, counted from the claim's start, must be empty.
        Instant leaseSurelyRuns = claimStarted.plus(lease).minus(clockTolerance());
        if (probeReturned.isBefore(leaseSurelyRuns)) {
            assertThat(probe).as("a claim within the lease, counted from the claim (claim from %s, lease to %s; "
                    + "probe %s..%s)", claimStarted, job.leaseExpiresAt(), probeStarted, probeReturned).isEmpty();
        }
        boolean completed = q.complete(job);
        if (Instant.now().isBefore(leaseSurelyRuns)) {
            assertThat(completed).as("a complete that returned within the lease").isTrue();
        }
    }

    @ContractTest
    void extendedLeaseRunsFromNowNotFromItsOldExpiry(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.EXTEND_LEASE);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("shortened")));
        ClaimedJob job = q.claim(queue, 1, ofSeconds(3), ZERO).getFirst();
        Duration extension = ofMillis(400);
        Instant extendStarted = Instant.now();

        assertThat(q.extendLease(job, extension)).isTrue();

        TimedClaim again = awaitClaim(q, queue, extension.plus(SLACK));
        assertThat(again.returned()).as("claimable again once now + extension has passed, not before")
                .isAfterOrEqualTo(extendStarted.plus(extension).minus(clockTolerance()));
        assertThat(again.job().attempt()).isEqualTo(2);
    }

    @ContractTest
    void extendedLeaseOutlivesItsFirstExpiry(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.EXTEND_LEASE);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("long task")));
        ClaimedJob job = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();

        assertThat(q.extendLease(job, ofSeconds(5))).isTrue();

        assertThat(q.claim(queue, 1, LONG_LEASE, SHORT_LEASE.multipliedBy(3))).isEmpty();
        assertThat(q.complete(job)).isTrue();
    }

    @ContractTest
    void expiryOfTheLastAttemptMakesTheJobDeadWithErrorLeaseExpired(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("doomed")).withMaxAttempts(1));
        ClaimedJob job = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();

        await().atMost(SHORT_LEASE.plus(SLACK)).pollInterval(ofMillis(20)).untilAsserted(() ->
                assertThat(q.deadLetters(queue, 10)).extracting(DeadJob::id).containsExactly(id));

        DeadJob dead = q.deadLetters(queue, 10).getFirst();
        assertThat(dead.lastError()).isEqualTo("lease expired");
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.payload()).isEqualTo(bytes("doomed"));
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
        assertThat(q.complete(job)).isFalse();
        assertStats(q, queue, new QueueStats(0, 0, 0, 1));
    }

    @ContractTest
    void waitingClaimPicksUpAJobWhoseLeaseExpiresWithinThePollInterval(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("abandoned")));
        ClaimedJob first = q.claim(queue, 1, ofMillis(500), ZERO).getFirst();

        List<ClaimedJob> again = q.claim(queue, 1, LONG_LEASE, ofSeconds(20));
        Instant returned = Instant.now();

        assertThat(again).extracting(ClaimedJob::id).containsExactly(id);
        assertThat(returned).as("no earlier than the expiry").isAfterOrEqualTo(
                first.leaseExpiresAt().minus(clockTolerance()));
        assertThat(returned).as("no later than expiry + poll interval + slack").isBefore(
                first.leaseExpiresAt().plus(pollBound(q)));
    }

    // ---------------------------------------------------------------- fencing

    @ContractTest
    void staleLeaseCannotCompleteFailOrExtendAfterRedelivery(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.FENCING);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("contested")));
        ClaimedJob stale = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();
        ClaimedJob current = awaitClaim(q, queue);

        assertThat(q.complete(stale)).isFalse();
        assertThat(q.fail(stale, "late").outcome()).isEqualTo(Outcome.LEASE_LOST);
        if (declares(q, Feature.EXTEND_LEASE)) {
            assertThat(q.extendLease(stale, LONG_LEASE)).isFalse();
        }
        assertThat(q.completeAll(List.of(stale))).containsExactly(false);
        assertStats(q, queue, new QueueStats(0, 0, 1, 0));

        assertThat(q.complete(current)).isTrue();
    }

    @ContractTest
    void expiredLeaseCannotFailCompleteOrExtendEvenBeforeAnotherClaim(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.FENCING);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("late")));
        ClaimedJob job = q.claim(queue, 1, ofMillis(200), ZERO).getFirst();
        awaitPast(job.leaseExpiresAt());

        assertThat(q.fail(job, "too late")).isEqualTo(FailResult.leaseLost());
        assertThat(q.complete(job)).isFalse();
        assertThat(q.completeAll(List.of(job))).containsExactly(false);
        if (declares(q, Feature.EXTEND_LEASE)) {
            assertThat(q.extendLease(job, LONG_LEASE)).isFalse();
        }
        assertThat(awaitClaim(q, queue).attempt()).isEqualTo(2);
    }

    @ContractTest
    void settledLeaseCannotBeUsedAgain(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.FENCING);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("done once")));
        q.enqueue(queue, JobRequest.of(bytes("failed once")).withMaxAttempts(3));
        List<ClaimedJob> both = q.claim(queue, 2, LONG_LEASE, ZERO);
        ClaimedJob done = both.get(0);
        ClaimedJob failed = both.get(1);

        assertThat(q.complete(done)).isTrue();
        assertThat(q.complete(done)).as("a second complete").isFalse();
        assertThat(q.fail(done, "after complete").outcome()).isEqualTo(Outcome.LEASE_LOST);
        assertThat(q.fail(failed, "first").outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
        assertThat(q.fail(failed, "again").outcome()).as("a second fail under one lease").isEqualTo(Outcome.LEASE_LOST);
        assertThat(q.complete(failed)).as("a complete after fail").isFalse();
        if (declares(q, Feature.EXTEND_LEASE)) {
            assertThat(q.extendLease(failed, LONG_LEASE)).as("an extend after fail").isFalse();
        }

        ClaimedJob retry = awaitClaim(q, queue);
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(q.complete(retry)).isTrue();
    }

    @ContractTest
    void leaseOfOneQueueIsRefusedForTheSameIdNamedInAnother(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.FENCING);
        String queue = newQueue(q);
        String other = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("mine")).withMaxAttempts(3));
        q.enqueue(other, JobRequest.of(bytes("theirs")));
        ClaimedJob real = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        ClaimedJob forged = new ClaimedJob(real.id(), other, real.payload(), real.priority(), real.attempt(),
                real.maxAttempts(), real.enqueuedAt(), real.leaseExpiresAt(), real.leaseToken());

        assertThat(q.complete(forged)).isFalse();
        assertThat(q.completeAll(List.of(forged))).containsExactly(false);
        assertThat(q.fail(forged, "wrong queue").outcome()).isEqualTo(Outcome.LEASE_LOST);
        if (declares(q, Feature.EXTEND_LEASE)) {
            assertThat(q.extendLease(forged, LONG_LEASE)).isFalse();
        }

        assertStats(q, queue, new QueueStats(0, 0, 1, 0));
        assertStats(q, other, new QueueStats(1, 0, 0, 0));
        assertThat(q.complete(real)).as("the real lease is untouched").isTrue();
    }

    @ContractTest
    void completeAllAnswersEachJobOnItsOwn(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.FENCING);
        String queue = newQueue(q);
        String other = newQueue(q);
        q.enqueueAll(queue, List.of(JobRequest.of(bytes("a")), JobRequest.of(bytes("b"))));
        List<ClaimedJob> valid = q.claim(queue, 2, LONG_LEASE, ZERO);
        q.enqueue(queue, JobRequest.of(bytes("c")));
        ClaimedJob stale = q.claim(queue, 1, ofMillis(200), ZERO).getFirst();
        ClaimedJob current = awaitClaim(q, queue);
        q.enqueue(queue, JobRequest.of(bytes("d")));
        ClaimedJob done = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        assertThat(q.complete(done)).isTrue();
        q.enqueue(other, JobRequest.of(bytes("e")));
        ClaimedJob elsewhere = q.claim(other, 1, LONG_LEASE, ZERO).getFirst();

        List<Boolean> answers = q.completeAll(List.of(valid.get(0), stale, done, elsewhere, valid.get(1)));

        assertThat(answers).containsExactly(true, false, false, true, true);
        assertStats(q, queue, new QueueStats(0, 0, 1, 0));
        assertStats(q, other, new QueueStats(0, 0, 0, 0));
        assertThat(q.completeAll(List.of(current))).containsExactly(true);
    }

    // ---------------------------------------------------------------- retries and backoff

    @ContractTest
    void failedJobIsRetriedAfterBackoffAndNotBefore(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("flaky")).withMaxAttempts(3));
        ClaimedJob job = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        Instant failStarted = Instant.now();

        FailResult result = q.fail(job, "boom");

        Instant failEnded = Instant.now();
        Instant earliest = result.retryAt().minus(clockTolerance());
        assertThat(result.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
        assertThat(result.retryAt()).as("retryAt = now + first backoff (base less jitter)").isBetween(
                failStarted.plus(scaled(BACKOFF_BASE, 1 - BACKOFF_JITTER)).minus(clockTolerance()),
                failEnded.plus(BACKOFF_BASE).plus(clockTolerance()));
        Instant probeStarted = Instant.now();
        List<ClaimedJob> early = q.claim(queue, 1, LONG_LEASE, ZERO);
        if (Instant.now().isBefore(earliest)) {
            assertThat(early).as("a claim that ended before retryAt (probe from %s)", probeStarted).isEmpty();
        }
        TimedClaim retry = early.isEmpty()
                ? awaitClaim(q, queue, BACKOFF_BASE.plus(SLACK))
                : new TimedClaim(early.getFirst(), probeStarted, Instant.now());
        assertThat(retry.returned()).as("retried no earlier than retryAt").isAfterOrEqualTo(earliest);
        assertThat(retry.job().attempt()).isEqualTo(2);
        assertThat(q.complete(retry.job())).isTrue();
    }

    @ContractTest
    void retryDelaysGrowExponentiallyFromTheBaseAndAreCappedAtTheMax(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("again and again")).withMaxAttempts(6));
        Duration tolerance = clockTolerance();
        for (int attempt = 1; attempt <= 4; attempt++) {
            ClaimedJob job = awaitClaim(q, queue, BACKOFF_MAX.plus(SLACK)).job();
            assertThat(job.attempt()).isEqualTo(attempt);
            Duration nominal = BACKOFF_BASE.multipliedBy(1L << (attempt - 1));
            Duration expected = nominal.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : nominal;
            Instant failStarted = Instant.now();
            FailResult result = q.fail(job, "attempt " + attempt);
            Instant failEnded = Instant.now();

            assertThat(result.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
            assertThat(Duration.between(failStarted, result.retryAt()))
                    .as("delay after attempt %d: at least %s less jitter", attempt, expected)
                    .isGreaterThanOrEqualTo(scaled(expected, 1 - BACKOFF_JITTER).minus(tolerance));
            assertThat(Duration.between(failEnded, result.retryAt()))
                    .as("delay after attempt %d: at most %s (base %s doubling, cap %s)", attempt, expected,
                            BACKOFF_BASE, BACKOFF_MAX)
                    .isLessThanOrEqualTo(expected.plus(tolerance));
        }
    }

    @ContractTest
    void retryDelaysOfABurstAreJittered(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        int burst = 20;
        q.enqueueAll(queue, IntStream.range(0, burst)
                .mapToObj(i -> JobRequest.of(bytes("burst " + i))).toList());
        List<Duration> longest = new ArrayList<>();
        for (ClaimedJob job : q.claim(queue, burst, LONG_LEASE, ZERO)) {
            Instant failStarted = Instant.now();
            FailResult result = q.fail(job, "burst");
            assertThat(result.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
            longest.add(Duration.between(failStarted, result.retryAt()));
        }

        // Without jitter every delay is the whole base; with 20% jitter some are surely a twentieth shorter.
        Duration shortened = scaled(BACKOFF_BASE, 1 - BACKOFF_JITTER / 4);
        assertThat(longest).as("first retry delays of a burst of %d (base %s, jitter %s)", burst, BACKOFF_BASE,
                BACKOFF_JITTER).hasSize(burst).anySatisfy(d -> assertThat(d).isLessThan(shortened));
    }

    @ContractTest
    void jobIsDeadAfterMaxAttemptsWithItsLastError(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("poison")).withMaxAttempts(2));

        ClaimedJob first = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        assertThat(q.fail(first, "first error").outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
        ClaimedJob second = awaitClaim(q, queue);
        assertThat(q.fail(second, "second error")).isEqualTo(FailResult.dead());

        assertStats(q, queue, new QueueStats(0, 0, 0, 1));
        assertThat(q.deadLetters(queue, 10)).singleElement().satisfies(dead -> {
            assertThat(dead.id()).isEqualTo(id);
            assertThat(dead.queue()).isEqualTo(queue);
            assertThat(dead.payload()).isEqualTo(bytes("poison"));
            assertThat(dead.attempts()).isEqualTo(2);
            assertThat(dead.lastError()).isEqualTo("second error");
        });
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
    }

    @ContractTest
    void requeueDeadMakesDeadJobsReadyWithAttemptsReset(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        for (int i = 0; i < 3; i++) {
            q.enqueue(queue, JobRequest.of(bytes("dead-" + i)).withMaxAttempts(1));
        }
        for (ClaimedJob job : q.claim(queue, 3, LONG_LEASE, ZERO)) {
            assertThat(q.fail(job, "no").outcome()).isEqualTo(Outcome.DEAD);
        }
        assertThat(q.deadLetters(queue, 2)).hasSize(2);
        assertThat(q.deadLetters(queue, 0)).isEmpty();

        assertThat(q.requeueDead(queue)).isEqualTo(3);

        assertStats(q, queue, new QueueStats(3, 0, 0, 0));
        assertThat(q.deadLetters(queue, 10)).isEmpty();
        assertThat(q.claim(queue, 3, LONG_LEASE, ZERO)).extracting(ClaimedJob::attempt).containsOnly(1);
        assertThat(q.requeueDead(queue)).isZero();
    }

    @ContractTest
    void jobWhoseLastLeaseExpiredIsListedAndRequeuedWithoutAnyClaim(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("forgotten")).withMaxAttempts(1));
        ClaimedJob job = q.claim(queue, 1, ofMillis(200), ZERO).getFirst();
        awaitPast(job.leaseExpiresAt());

        assertThat(q.deadLetters(queue, 10)).extracting(DeadJob::id, DeadJob::lastError)
                .containsExactly(tuple(id, "lease expired"));
        assertThat(q.requeueDead(queue)).isEqualTo(1);
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).extracting(ClaimedJob::id, ClaimedJob::attempt)
                .containsExactly(tuple(id, 1));
    }

    // ---------------------------------------------------------------- delayed jobs

    @ContractTest
    void delayedJobIsInvisibleUntilItsRunAt(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.DELAYED_JOBS);
        String queue = newQueue(q);
        Instant runAt = Instant.now().plusMillis(800);
        q.enqueue(queue, JobRequest.of(bytes("later")).withRunAt(runAt));

        Instant earlyStarted = Instant.now();
        List<ClaimedJob> early = q.claim(queue, 1, LONG_LEASE, ZERO);
        Instant earlyReturned = Instant.now();
        if (earlyReturned.isBefore(runAt.minus(clockTolerance()))) {
            assertThat(early).as("a claim that ended before runAt").isEmpty();
            assertStats(q, queue, new QueueStats(0, 1, 0, 0));
        }
        // a claim held up past runAt (a queue's first use can be slow) may rightly take the job
        TimedClaim job = early.isEmpty() ? awaitClaim(q, queue, ofMillis(800).plus(SLACK))
                : new TimedClaim(early.getFirst(), earlyStarted, earlyReturned);

        assertThat(job.returned()).isAfterOrEqualTo(runAt.minus(clockTolerance()));
        assertThat(job.job().payload()).isEqualTo(bytes("later"));
    }

    @ContractTest
    void waitingClaimPicksUpADelayedJobWhenItComesDueWithinThePollInterval(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.DELAYED_JOBS);
        String queue = newQueue(q);
        Instant runAt = Instant.now().plusMillis(500);
        String id = q.enqueue(queue, JobRequest.of(bytes("due soon")).withRunAt(runAt));

        CompletableFuture<List<ClaimedJob>> waiting =
                CompletableFuture.supplyAsync(() -> q.claim(queue, 1, LONG_LEASE, ofSeconds(20)), ON_OWN_THREAD);
        List<ClaimedJob> claimed = waiting.get(25, TimeUnit.SECONDS);
        Instant returned = Instant.now();

        assertThat(claimed).extracting(ClaimedJob::id).containsExactly(id);
        assertThat(returned).as("no earlier than runAt").isAfterOrEqualTo(runAt.minus(clockTolerance()));
        assertThat(returned).as("no later than runAt + poll interval + slack").isBefore(runAt.plus(pollBound(q)));
    }

    /** {@code duration * factor}, to the nanosecond. */
    static Duration scaled(Duration duration, double factor) {
        return Duration.ofNanos((long) (duration.toNanos() * factor));
    }
}
