package dev.queuebench.tck;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult.Outcome;
import dev.queuebench.api.InvalidQueueNameException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.api.QueueMetrics.Op;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The executable form of the QueueBackend contract ({@code docs/CONTRACT.md}). A backend's test extends this class
 * and supplies its {@link #provider()} and a {@link #baseConfig()} that reaches its server; every test then runs once
 * for each strategy the provider declares. A clause a backend declares it cannot keep (a {@code Capabilities}
 * feature it leaves out, {@code ORDER_BEST_EFFORT}, durability {@code PROCESS}) is skipped for it with a message
 * naming the capability, and only that clause; every declared one is checked.
 *
 * <p>The clauses live in this class and its superclasses, one per group: {@link ClaimClauses} (values, waiting,
 * exclusivity, order, batches, payloads, durability), {@link LeaseClauses} (leases, fencing, retries, backoff,
 * dead letters, delayed jobs) and this class (stats, purge, isolation, meters, lifecycle, soak). Each test works on
 * queues of its own and purges them afterwards, so backends may share a server between tests.
 */
public abstract class QueueBackendTck extends LeaseClauses {
    /** The lease of the soak's short-lease consumers: long enough for a batch, short enough to expire in a stall. */
    private static final Duration SOAK_SHORT_LEASE = ofMillis(500);

    // ---------------------------------------------------------------- stats and purge

    @ContractTest
    void statsAreExactAtRest(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.EXACT_STATS);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("dead")).withMaxAttempts(1).withPriority(9));
        q.enqueue(queue, JobRequest.of(bytes("leased")).withPriority(8));
        q.enqueueAll(queue, List.of(JobRequest.of(bytes("r1")), JobRequest.of(bytes("r2")),
                JobRequest.of(bytes("r3"))));
        long scheduled = enqueueDelayed(q, queue, 2);
        List<ClaimedJob> claimed = q.claim(queue, 2, LONG_LEASE, ZERO);
        assertThat(q.fail(claimed.getFirst(), "dead on arrival").outcome()).isEqualTo(Outcome.DEAD);

        assertThat(q.stats(queue)).isEqualTo(new QueueStats(3, scheduled, 1, 1));
    }

    @ContractTest
    void statsSettleExpiredLeasesAndDueJobsWithoutAnyOtherOperation(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.EXACT_STATS);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("retries")).withMaxAttempts(2).withPriority(2));
        q.enqueue(queue, JobRequest.of(bytes("last try")).withMaxAttempts(1).withPriority(1));
        List<ClaimedJob> claimed = q.claim(queue, 2, SHORT_LEASE, ZERO);
        Instant due = Instant.now().plus(SHORT_LEASE);
        long delayed = 0;
        if (declares(q, Feature.DELAYED_JOBS)) {
            q.enqueue(queue, JobRequest.of(bytes("due")).withRunAt(due));
            delayed = 1;
        }
        QueueStats before = q.stats(queue);
        if (Instant.now().isBefore(claimed.getFirst().leaseExpiresAt().minus(clockTolerance()))) {
            assertThat(before).isEqualTo(new QueueStats(0, delayed, 2, 0));
        }
        awaitPast(claimed.getFirst().leaseExpiresAt().isAfter(due) ? claimed.getFirst().leaseExpiresAt() : due);

        assertThat(q.stats(queue)).as("stats alone settle what expired and what came due")
                .isEqualTo(new QueueStats(1 + delayed, 0, 0, 1));
    }

    @ContractTest
    void purgeRemovesEveryStateAndLeavesOtherQueuesAlone(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String other = newQueue(q);
        EveryState filled = fillEveryState(q, queue);
        String kept = q.enqueue(other, JobRequest.of(bytes("other")));

        assertThat(q.purge(queue)).isEqualTo(3 + filled.delayed());

        assertStats(q, queue, new QueueStats(0, 0, 0, 0));
        assertThat(q.deadLetters(queue, 10)).isEmpty();
        assertThat(q.complete(filled.lease())).isFalse();
        assertStats(q, other, new QueueStats(1, 0, 0, 0));
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
        assertThat(q.claim(other, 1, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(kept);
    }

    // ---------------------------------------------------------------- isolation, per operation

    @ContractTest
    void everyOperationOnOneQueueLeavesAnotherQueueAlone(String strategy) {
        QueueBackend q = open(strategy);
        String mine = newQueue(q);
        String theirs = newQueue(q);
        EveryState their = fillEveryState(q, theirs);
        Consumer<String> unchanged = after -> {
            if (declares(q, Feature.EXACT_STATS)) {
                assertThat(q.stats(theirs)).as("the other queue's stats after %s", after)
                        .isEqualTo(new QueueStats(1, their.delayed(), 1, 1));
            }
            assertThat(q.deadLetters(theirs, 10)).as("the other queue's dead letters after %s", after)
                    .extracting(DeadJob::id).containsExactly(their.deadId());
        };

        List<String> ids = new ArrayList<>();
        ids.add(q.enqueue(mine, JobRequest.of(bytes("m1")).withMaxAttempts(1)));
        unchanged.accept("enqueue");
        ids.addAll(q.enqueueAll(mine, List.of(JobRequest.of(bytes("m2")), JobRequest.of(bytes("m3")),
                JobRequest.of(bytes("m4")), JobRequest.of(bytes("m5")).withMaxAttempts(3))));
        unchanged.accept("enqueueAll");
        List<ClaimedJob> claimed = q.claim(mine, 5, LONG_LEASE, ZERO);
        assertThat(claimed).extracting(ClaimedJob::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(claimed).extracting(ClaimedJob::queue).containsOnly(mine);
        unchanged.accept("claim");
        ClaimedJob lastTry = claimed.stream().filter(ClaimedJob::isLastAttempt).findFirst().orElseThrow();
        List<ClaimedJob> rest = claimed.stream().filter(job -> job != lastTry).toList();
        assertThat(q.complete(rest.get(0))).isTrue();
        unchanged.accept("complete");
        assertThat(q.completeAll(List.of(rest.get(1)))).containsExactly(true);
        unchanged.accept("completeAll");
        assertThat(q.fail(rest.get(2), "retry").outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
        unchanged.accept("fail with retry");
        assertThat(q.fail(lastTry, "dead").outcome()).isEqualTo(Outcome.DEAD);
        unchanged.accept("fail to dead");
        if (declares(q, Feature.EXTEND_LEASE)) {
            assertThat(q.extendLease(rest.get(3), LONG_LEASE)).isTrue();
            unchanged.accept("extendLease");
        }
        q.stats(mine);
        unchanged.accept("stats");
        assertThat(q.deadLetters(mine, 10)).as("dead letters of this queue only")
                .extracting(DeadJob::id, DeadJob::queue).containsExactly(tuple(lastTry.id(), mine));
        unchanged.accept("deadLetters");
        assertThat(q.requeueDead(mine)).isEqualTo(1);
        unchanged.accept("requeueDead");
        assertThat(q.purge(mine)).isEqualTo(3);
        unchanged.accept("purge");

        assertThat(q.complete(their.lease())).as("the other queue's lease survives").isTrue();
        assertThat(q.claim(theirs, 1, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(their.readyId());
    }

    @ContractTest
    void queueStaysUsableFromAnotherThreadAfterEveryOperation(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        // without PRIORITIES a probe cannot overtake the jobs still ready after these steps: it is claimed from a
        // second queue then (claiming this queue's jobs would take them from the steps that follow)
        boolean overtakes = declares(q, Feature.PRIORITIES);
        Set<String> othersReady = Set.of("enqueue", "enqueueAll", "requeueDead");
        String probes = overtakes ? queue : newQueue(q);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Consumer<String> usable = after -> {
                String probed = othersReady.contains(after) ? probes : queue;
                Future<?> use = other.submit(() -> {
                    String id = q.enqueue(probed, JobRequest.of(bytes("probe")).withPriority(Integer.MAX_VALUE));
                    List<ClaimedJob> got = q.claim(probed, 1, LONG_LEASE, ZERO);
                    assertThat(got).extracting(ClaimedJob::id).containsExactly(id);
                    assertThat(q.complete(got.getFirst())).isTrue();
                    q.stats(queue);
                    return null;
                });
                try {
                    use.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    use.cancel(true);
                    throw new AssertionError("another thread could not use the queue after " + after, e);
                }
            };
            q.enqueue(queue, JobRequest.of(bytes("a")).withMaxAttempts(1));
            usable.accept("enqueue");
            q.enqueueAll(queue, List.of(JobRequest.of(bytes("b")), JobRequest.of(bytes("c"))));
            usable.accept("enqueueAll");
            List<ClaimedJob> claimed = q.claim(queue, 3, LONG_LEASE, ZERO);
            usable.accept("claim");
            q.complete(claimed.get(1));
            usable.accept("complete");
            q.completeAll(List.of(claimed.get(2)));
            usable.accept("completeAll");
            q.fail(claimed.get(0), "dead");
            usable.accept("fail");
            q.stats(queue);
            usable.accept("stats");
            q.deadLetters(queue, 10);
            usable.accept("deadLetters");
            q.requeueDead(queue);
            usable.accept("requeueDead");
            q.purge(queue);
            usable.accept("purge");
            q.claim(queue, 1, LONG_LEASE, ofMillis(50));
            usable.accept("a claim that waited and found nothing");
        } finally {
            other.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- meters

    @ContractTest
    void metersCountWhereTheContractSaysTheyCount(String strategy) {
        QueueBackend q = open(strategy);
        MeterRegistry registry = registryOf(q);
        String queue = newQueue(q);
        q.claim(queue, 1, LONG_LEASE, ZERO);
        q.claim(queue, 1, LONG_LEASE, ofMillis(50));
        q.enqueue(queue, JobRequest.of(bytes("1")).withMaxAttempts(3));
        q.enqueueAll(queue, List.of(JobRequest.of(bytes("2")), JobRequest.of(bytes("3"))));
        List<ClaimedJob> claimed = q.claim(queue, 3, LONG_LEASE, ZERO);
        int extensions = 0;
        if (declares(q, Feature.EXTEND_LEASE)) {
            q.extendLease(claimed.get(0), LONG_LEASE);
            extensions = 1;
        }
        q.complete(claimed.get(0));
        q.completeAll(List.of(claimed.get(1)));
        q.fail(claimed.get(2), "once");

        assertThat(counter(registry, QueueMetrics.CLAIM_EMPTY, q, queue)).as("claims that returned no job")
                .isEqualTo(2);
        assertThat(counter(registry, QueueMetrics.CLAIM_CONFLICTS, q, queue)).as("conflicts of a lone claimer")
                .isZero();
        assertThat(counter(registry, QueueMetrics.LOCK_ERRORS, q, queue)).as("lock errors of a lone client")
                .isZero();
        Map<Op, Integer> calls = Map.of(Op.ENQUEUE, 1, Op.ENQUEUE_ALL, 1, Op.CLAIM, 3, Op.COMPLETE, 1,
                Op.COMPLETE_ALL, 1, Op.FAIL, 1, Op.EXTEND_LEASE, extensions);
        calls.forEach((op, count) -> {
            Timer timer = registry.find(QueueMetrics.OP).tag(QueueMetrics.TAG_BACKEND, q.name())
                    .tag(QueueMetrics.TAG_QUEUE, queue).tag(QueueMetrics.TAG_OP, op.tag()).timer();
            assertThat(timer == null ? 0 : timer.count()).as("%s timer count", op.tag()).isEqualTo((long) count);
        });
    }

    private static double counter(MeterRegistry registry, String name, QueueBackend q, String queue) {
        Counter counter = registry.find(name).tag(QueueMetrics.TAG_BACKEND, q.name())
                .tag(QueueMetrics.TAG_QUEUE, queue).counter();
        return counter == null ? 0 : counter.count();
    }

    // ---------------------------------------------------------------- names

    @ContractTest
    void invalidQueueNamesAreRejectedByEveryOperation(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("real")));
        ClaimedJob real = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        ClaimedJob forged = new ClaimedJob(real.id(), "x'; DROP TABLE jobs; --", real.payload(), 0, 1, 5,
                real.enqueuedAt(), real.leaseExpiresAt(), real.leaseToken());

        for (String bad : List.of("", "has space", "{slot}", "a".repeat(65), "x'; DROP TABLE jobs; --")) {
            List<Consumer<String>> operations = List.of(
                    name -> q.enqueue(name, JobRequest.of(bytes("x"))),
                    name -> q.enqueueAll(name, List.of(JobRequest.of(bytes("x")))),
                    name -> q.claim(name, 1, LONG_LEASE, ZERO),
                    q::stats,
                    name -> q.deadLetters(name, 1),
                    q::requeueDead,
                    q::purge);
            for (Consumer<String> operation : operations) {
                assertThatThrownBy(() -> operation.accept(bad)).isInstanceOf(InvalidQueueNameException.class);
            }
        }
        assertThatThrownBy(() -> q.complete(forged)).isInstanceOf(InvalidQueueNameException.class);
        assertThatThrownBy(() -> q.completeAll(List.of(forged))).isInstanceOf(InvalidQueueNameException.class);
        assertThatThrownBy(() -> q.fail(forged, "x")).isInstanceOf(InvalidQueueNameException.class);
        assertThatThrownBy(() -> q.extendLease(forged, LONG_LEASE)).isInstanceOf(InvalidQueueNameException.class);
        assertThat(q.complete(real)).isTrue();
    }

    // ---------------------------------------------------------------- lifecycle

    @ContractTest
    void closeIsIdempotentAndEveryLaterCallThrows(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("x")));
        ClaimedJob job = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();

        q.close();
        q.close();

        List<Runnable> calls = List.of(
                () -> q.enqueue(queue, JobRequest.of(bytes("y"))),
                () -> q.enqueueAll(queue, List.of(JobRequest.of(bytes("y")))),
                () -> q.claim(queue, 1, LONG_LEASE, ZERO),
                () -> q.complete(job),
                () -> q.completeAll(List.of(job)),
                () -> q.fail(job, "closed"),
                () -> q.extendLease(job, LONG_LEASE),
                () -> q.stats(queue),
                () -> q.deadLetters(queue, 1),
                () -> q.requeueDead(queue),
                () -> q.purge(queue),
                q::footprint);
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i)::run).as("call %d after close", i)
                    .isInstanceOf(BackendClosedException.class);
        }
    }

    @ContractTest
    void waitingClaimEndsSoonAfterTheBackendCloses(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return q.claim(queue, 1, LONG_LEASE, ofSeconds(30));
            } catch (BackendClosedException e) {
                return e;
            }
        }, ON_OWN_THREAD);
        pause(ofMillis(200));

        q.close();

        Object result = waiting.get(pollBound(q).toMillis() + 1000, TimeUnit.MILLISECONDS);
        assertThat(result).satisfiesAnyOf(
                r -> assertThat(r).isInstanceOf(BackendClosedException.class),
                r -> assertThat(r).isEqualTo(List.of()));
    }

    // ---------------------------------------------------------------- soak

    /**
     * Producers, consumers and random failures at once, with short and long leases; a few consumers stall past
     * their short lease. Every claim is judged by {@link DeliveryRecorder}: no two valid leases at once, no refusal
     * of a lease that cannot have expired; a stalled consumer's late completion is refused; and at the end every job
     * was completed once or is dead.
     */
    @ContractTest
    void soakOfProducersConsumersFailuresAndExpiriesBalancesTheLedger(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        int producers = 2;
        int jobsPerProducer = 400;
        Set<String> enqueued = ConcurrentHashMap.newKeySet();
        Map<String, Integer> completed = new ConcurrentHashMap<>();
        Set<String> lateAccepted = ConcurrentHashMap.newKeySet();
        AtomicInteger producing = new AtomicInteger(producers);
        DeliveryRecorder recorder = new DeliveryRecorder(clockTolerance());
        boolean fencing = declares(q, Feature.FENCING);
        ExecutorService pool = Executors.newFixedThreadPool(producers + 4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < jobsPerProducer; i += 20) {
                        List<JobRequest> batch = IntStream.range(i, i + 20)
                                .mapToObj(n -> JobRequest.of(bytes(producer + "-" + n)).withMaxAttempts(3)).toList();
                        if (i % 40 == 0) {
                            enqueued.addAll(q.enqueueAll(queue, batch));
                        } else {
                            batch.forEach(r -> enqueued.add(q.enqueue(queue, r)));
                        }
                    }
                    producing.decrementAndGet();
                    return null;
                }));
            }
            for (int c = 0; c < 4; c++) {
                boolean shortLeases = c % 2 == 0;
                tasks.add(pool.submit(() -> {
                    Instant idleSince = Instant.now();
                    while (producing.get() > 0 || Instant.now().isBefore(idleSince.plus(BACKOFF_MAX).plus(SLACK))) {
                        List<ClaimedJob> claimed = recorder.claim(q, queue, 8,
                                shortLeases ? SOAK_SHORT_LEASE : LONG_LEASE, ofMillis(100));
                        for (ClaimedJob job : claimed) {
                            int roll = ThreadLocalRandom.current().nextInt(50);
                            if (roll < 3) {
                                recorder.fail(q, job, "random failure");
                            } else if (roll == 3 && shortLeases) {
                                awaitPast(job.leaseExpiresAt()); // a stalled worker
                                if (q.complete(job) && fencing) {
                                    lateAccepted.add(job.toString());
                                }
                            } else if (recorder.complete(q, job)) {
                                completed.merge(job.id(), 1, Integer::sum);
                            }
                        }
                        if (!claimed.isEmpty()) {
                            // idle from the end of the batch: a job failed after a stalled one is due up to
                            // BACKOFF_MAX after that fail, not after the claim (NATS missed it once, 1 of 5 runs)
                            idleSince = Instant.now();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(55, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> dead = new HashSet<>();
        q.deadLetters(queue, 10_000).forEach(d -> dead.add(d.id()));
        assertThat(enqueued).hasSize(producers * jobsPerProducer);
        assertThat(recorder.violations()).as("exclusivity and fencing violations").isEmpty();
        assertThat(lateAccepted).as("completions accepted after the lease expired").isEmpty();
        assertThat(completed.values()).as("successful completions per job").containsOnly(1);
        assertThat(completed.keySet()).as("completed and dead").noneMatch(dead::contains);
        Set<String> settled = new HashSet<>(completed.keySet());
        settled.addAll(dead);
        assertThat(settled).as("every enqueued job completed or dead").isEqualTo(enqueued);
        assertStats(q, queue, new QueueStats(0, 0, 0, dead.size()));
    }

    // ---------------------------------------------------------------- helpers

    /** A queue's job in each state: dead, leased (by {@code lease}), ready, and {@code delayed} not yet due. */
    private record EveryState(String deadId, ClaimedJob lease, String readyId, long delayed) {}

    /** Fills {@code queue} with one job in each state (delayed only where declared), in enqueue and priority order. */
    private static EveryState fillEveryState(QueueBackend q, String queue) {
        q.enqueue(queue, JobRequest.of(bytes("dead")).withMaxAttempts(1).withPriority(3));
        q.enqueue(queue, JobRequest.of(bytes("leased")).withPriority(2));
        String ready = q.enqueue(queue, JobRequest.of(bytes("ready")));
        long delayed = enqueueDelayed(q, queue, 1);
        ClaimedJob dead = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        assertThat(q.fail(dead, "dead").outcome()).isEqualTo(Outcome.DEAD);
        ClaimedJob lease = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        return new EveryState(dead.id(), lease, ready, delayed);
    }

    /** Enqueues {@code count} jobs due in an hour where the backend declares delayed jobs; returns how many. */
    private static long enqueueDelayed(QueueBackend q, String queue, int count) {
        if (!declares(q, Feature.DELAYED_JOBS)) {
            return 0;
        }
        Instant later = Instant.now().plusSeconds(3600);
        for (int i = 0; i < count; i++) {
            q.enqueue(queue, JobRequest.of(bytes("later " + i)).withRunAt(later));
        }
        return count;
    }
}
