package dev.queuebench.tck;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.FailResult.Outcome;
import dev.queuebench.api.InvalidQueueNameException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.JobTooLargeException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The executable form of the QueueBackend contract ({@code shared/CONTRACT.md}). A backend's test extends this
 * class and supplies its {@link #provider()} and a {@link #baseConfig()} that reaches its server; every test then
 * runs once for each strategy the provider declares. Clauses a backend declares it cannot keep (through
 * {@link dev.queuebench.api.Capabilities}) are skipped for it, and only those.
 *
 * <p>Each test works on queues of its own and purges them afterwards, so backends may share a server between tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class QueueBackendTck {
    /** Leases that outlive any test: expiry never interferes where a test does not mean it to. */
    protected static final Duration LONG_LEASE = ofSeconds(60);
    /** Leases meant to expire within a test. */
    protected static final Duration SHORT_LEASE = ofMillis(300);
    /** The backoff base the kit configures: the first retry waits between 0.8 and 1 times this. */
    protected static final Duration BACKOFF_BASE = ofMillis(400);

    private final List<QueueBackend> opened = Collections.synchronizedList(new ArrayList<>());
    private final Map<QueueBackend, Set<String>> queuesUsed = new ConcurrentHashMap<>();

    /** The provider under test. */
    protected abstract QueueBackendProvider provider();

    /** Configuration that reaches the test server, without {@code strategy} and backoff keys; may skip the test. */
    protected BackendConfig baseConfig() {
        return BackendConfig.empty();
    }

    /** The strategies to run every test with: all the provider declares. */
    protected Stream<String> strategies() {
        return provider().strategies().stream();
    }

    /** A fresh backend with the given strategy and the kit's short backoff, closed after the test. */
    protected QueueBackend open(String strategy) {
        BackendConfig config = baseConfig()
                .with(QueueBackends.STRATEGY_KEY, strategy)
                .with(Backoff.BASE, BACKOFF_BASE.toMillis() + "ms")
                .with(Backoff.MAX, "2s");
        QueueBackends.validate(provider(), config);
        QueueBackend backend = provider().create(config);
        opened.add(backend);
        return backend;
    }

    /** A queue name no other test uses. */
    protected String newQueue(QueueBackend backend) {
        String queue = "tck-" + UUID.randomUUID().toString().substring(0, 13);
        queuesUsed.computeIfAbsent(backend, b -> ConcurrentHashMap.newKeySet()).add(queue);
        return queue;
    }

    @AfterEach
    void closeBackends() {
        List<QueueBackend> toClose = new ArrayList<>(opened);
        Collections.reverse(toClose);
        for (QueueBackend backend : toClose) {
            try {
                queuesUsed.getOrDefault(backend, Set.of()).forEach(backend::purge);
            } catch (BackendClosedException e) {
                // a test closed it on purpose
            } finally {
                backend.close();
            }
        }
        opened.clear();
        queuesUsed.clear();
    }

    // ---------------------------------------------------------------- enqueue and claim

    @ContractTest
    void enqueuedJobIsClaimedWithItsDataAndFirstAttempt(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        Instant before = Instant.now().minusSeconds(1);
        String id = q.enqueue(queue, JobRequest.of(bytes("hello")).withPriority(3).withMaxAttempts(4));

        List<ClaimedJob> claimed = q.claim(queue, 1, LONG_LEASE, ZERO);

        assertThat(claimed).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(id);
            assertThat(job.queue()).isEqualTo(queue);
            assertThat(job.payload()).isEqualTo(bytes("hello"));
            assertThat(job.priority()).isEqualTo(3);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.maxAttempts()).isEqualTo(4);
            assertThat(job.enqueuedAt()).isBetween(before, Instant.now().plusSeconds(1));
            assertThat(job.leaseExpiresAt()).isAfter(Instant.now().plusSeconds(30));
            assertThat(job.leaseToken()).isNotBlank();
        });
    }

    @ContractTest
    void claimOnEmptyQueueReturnsNothingOnceItsWaitIsOver(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        long start = System.nanoTime();

        assertThat(q.claim(queue, 5, LONG_LEASE, ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ofMillis(250));
        assertThat(q.claim(queue, 5, LONG_LEASE, ZERO)).isEmpty();
    }

    @ContractTest
    void waitingClaimReturnsTheJobEnqueuedWhileItWaits(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        CompletableFuture<List<ClaimedJob>> waiting =
                CompletableFuture.supplyAsync(() -> q.claim(queue, 1, LONG_LEASE, ofSeconds(20)));
        await().pollDelay(ofMillis(100)).until(() -> true);

        String id = q.enqueue(queue, JobRequest.of(bytes("wake")));

        assertThat(waiting.get(10, TimeUnit.SECONDS)).extracting(ClaimedJob::id).containsExactly(id);
    }

    @ContractTest
    void completedJobLeavesTheQueueAndCannotBeCompletedAgain(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("once")));
        ClaimedJob job = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();

        assertThat(q.complete(job)).isTrue();
        assertThat(q.complete(job)).isFalse();
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 0, 0));
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
    }

    @ContractTest
    void concurrentClaimersReceiveEveryJobExactlyOnce(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        int jobs = 3000;
        Set<String> enqueued = new HashSet<>();
        for (int from = 0; from < jobs; from += 500) {
            List<JobRequest> batch = IntStream.range(from, from + 500)
                    .mapToObj(i -> JobRequest.of(bytes("job-" + i))).toList();
            enqueued.addAll(q.enqueueAll(queue, batch));
        }
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int batchSize = t % 2 == 0 ? 1 : 10; // single and batch claimers race each other
                workers.add(pool.submit(() -> {
                    List<ClaimedJob> claimed;
                    while (!(claimed = q.claim(queue, batchSize, LONG_LEASE, ofMillis(200))).isEmpty()) {
                        for (ClaimedJob job : claimed) {
                            deliveries.merge(job.id(), 1, Integer::sum);
                        }
                        assertThat(q.completeAll(claimed)).containsOnly(true);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(enqueued).hasSize(jobs);
        assertThat(deliveries.keySet()).isEqualTo(enqueued);
        assertThat(deliveries.values()).as("deliveries per job").containsOnly(1);
        assertThat(q.stats(queue).total()).isZero();
    }

    // ---------------------------------------------------------------- leases and fencing

    @ContractTest
    void expiredLeaseIsRedeliveredWithNextAttempt(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("slow")).withMaxAttempts(3));
        ClaimedJob first = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();

        ClaimedJob second = awaitClaim(q, queue);

        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
        assertThat(second.payload()).isEqualTo(bytes("slow"));
    }

    @ContractTest
    void validLeaseKeepsTheJobFromOtherClaims(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("held")));
        q.claim(queue, 1, ofSeconds(3), ZERO);

        assertThat(q.claim(queue, 1, LONG_LEASE, ofMillis(600))).isEmpty();
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 1, 0));
    }

    @ContractTest
    void expiryOfTheLastAttemptMakesTheJobDead(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("doomed")).withMaxAttempts(1));
        ClaimedJob job = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();

        await().atMost(ofSeconds(10)).pollInterval(ofMillis(50)).untilAsserted(() -> {
            assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
            assertThat(q.deadLetters(queue, 10)).extracting(DeadJob::id).containsExactly(id);
        });
        DeadJob dead = q.deadLetters(queue, 10).getFirst();
        assertThat(dead.lastError()).contains("lease expired");
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(q.complete(job)).isFalse();
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 0, 1));
    }

    @ContractTest
    void staleLeaseCannotCompleteFailOrExtendAfterRedelivery(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("contested")));
        ClaimedJob stale = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();
        ClaimedJob current = awaitClaim(q, queue);

        assertThat(q.complete(stale)).isFalse();
        assertThat(q.fail(stale, "late").outcome()).isEqualTo(Outcome.LEASE_LOST);
        assertThat(q.extendLease(stale, LONG_LEASE)).isFalse();
        assertThat(q.completeAll(List.of(stale))).containsExactly(false);
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 1, 0));

        assertThat(q.complete(current)).isTrue();
    }

    @ContractTest
    void expiredLeaseCannotCompleteEvenBeforeAnotherClaim(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("late")));
        ClaimedJob job = q.claim(queue, 1, ofMillis(200), ZERO).getFirst();
        awaitPast(job.leaseExpiresAt());

        assertThat(q.complete(job)).isFalse();
        assertThat(q.extendLease(job, LONG_LEASE)).isFalse();
        assertThat(awaitClaim(q, queue).attempt()).isEqualTo(2);
    }

    @ContractTest
    void extendedLeaseOutlivesItsFirstExpiry(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("long task")));
        ClaimedJob job = q.claim(queue, 1, SHORT_LEASE, ZERO).getFirst();

        assertThat(q.extendLease(job, ofSeconds(5))).isTrue();

        assertThat(q.claim(queue, 1, LONG_LEASE, SHORT_LEASE.multipliedBy(3))).isEmpty();
        assertThat(q.complete(job)).isTrue();
    }

    // ---------------------------------------------------------------- failure, retries, dead letters

    @ContractTest
    void failedJobIsRetriedAfterBackoffAndNotBefore(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("flaky")).withMaxAttempts(3));
        ClaimedJob job = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        Instant failedAt = Instant.now();

        FailResult result = q.fail(job, "boom");

        assertThat(result.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
        assertThat(result.retryAt()).isAfter(failedAt.plus(BACKOFF_BASE.multipliedBy(7).dividedBy(10)));
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 1, 0, 0));
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
        ClaimedJob retry = awaitClaim(q, queue);
        assertThat(Instant.now()).isAfterOrEqualTo(result.retryAt().minusMillis(50));
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(q.complete(retry)).isTrue();
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

        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 0, 1));
        assertThat(q.deadLetters(queue, 10)).singleElement().satisfies(dead -> {
            assertThat(dead.id()).isEqualTo(id);
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

        assertThat(q.requeueDead(queue)).isEqualTo(3);

        assertThat(q.stats(queue)).isEqualTo(new QueueStats(3, 0, 0, 0));
        assertThat(q.deadLetters(queue, 10)).isEmpty();
        assertThat(q.claim(queue, 3, LONG_LEASE, ZERO)).extracting(ClaimedJob::attempt).containsOnly(1);
    }

    // ---------------------------------------------------------------- delays and ordering

    @ContractTest
    void delayedJobIsInvisibleUntilItsRunAt(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        Instant runAt = Instant.now().plusMillis(800);
        q.enqueue(queue, JobRequest.of(bytes("later")).withRunAt(runAt));

        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 1, 0, 0));
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
        ClaimedJob job = awaitClaim(q, queue);

        assertThat(Instant.now()).isAfterOrEqualTo(runAt.minusMillis(50));
        assertThat(job.payload()).isEqualTo(bytes("later"));
    }

    @ContractTest
    void waitingClaimPicksUpADelayedJobWhenItComesDue(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String id = q.enqueue(queue, JobRequest.of(bytes("due soon")).withRunAt(Instant.now().plusMillis(500)));

        assertThat(q.claim(queue, 1, LONG_LEASE, ofSeconds(10))).extracting(ClaimedJob::id).containsExactly(id);
    }

    @ContractTest
    void higherPriorityIsClaimedFirst(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        for (int priority : new int[] {0, 5, -1, 10, 5}) {
            q.enqueue(queue, JobRequest.of(bytes("p" + priority)).withPriority(priority));
        }

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(q.claim(queue, 1, LONG_LEASE, ZERO).getFirst().priority());
        }
        assertThat(order).containsExactly(10, 5, 5, 0, -1);
    }

    @ContractTest
    void jobsOfOnePriorityAreClaimedInEnqueueOrderWhereStrict(String strategy) {
        QueueBackend q = open(strategy);
        assumeTrue(q.capabilities().ordering() == Ordering.ORDER_STRICT, "backend declares ORDER_BEST_EFFORT");
        String queue = newQueue(q);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(q.enqueue(queue, JobRequest.of(bytes("fifo-" + i))));
        }
        ids.addAll(q.enqueueAll(queue, IntStream.range(30, 60).mapToObj(i -> JobRequest.of(bytes("fifo-" + i))).toList()));

        List<String> claimed = new ArrayList<>();
        claimed.add(q.claim(queue, 1, LONG_LEASE, ZERO).getFirst().id());
        q.claim(queue, 29, LONG_LEASE, ZERO).forEach(job -> claimed.add(job.id()));
        q.claim(queue, 30, LONG_LEASE, ZERO).forEach(job -> claimed.add(job.id()));

        assertThat(claimed).containsExactlyElementsOf(ids);
    }

    @ContractTest
    void earlierRunAtGoesFirstWithinAPriorityWhereStrict(String strategy) {
        QueueBackend q = open(strategy);
        assumeTrue(q.capabilities().ordering() == Ordering.ORDER_STRICT, "backend declares ORDER_BEST_EFFORT");
        String queue = newQueue(q);
        String now = q.enqueue(queue, JobRequest.of(bytes("now")));
        String overdue = q.enqueue(queue, JobRequest.of(bytes("overdue")).withRunAt(Instant.now().minusSeconds(60)));

        assertThat(q.claim(queue, 2, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(overdue, now);
    }

    // ---------------------------------------------------------------- batches

    @ContractTest
    void enqueueAllReturnsIdsInOrderAndBatchClaimTakesUpToMaxJobs(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        List<String> ids = q.enqueueAll(queue, IntStream.range(0, 25).mapToObj(i -> JobRequest.of(bytes("b" + i))).toList());

        assertThat(ids).hasSize(25).doesNotHaveDuplicates();
        assertThat(q.enqueueAll(queue, List.of())).isEmpty();
        List<ClaimedJob> first = q.claim(queue, 10, LONG_LEASE, ZERO);
        List<ClaimedJob> second = q.claim(queue, 10, LONG_LEASE, ZERO);
        List<ClaimedJob> third = q.claim(queue, 10, LONG_LEASE, ZERO);

        assertThat(first).hasSize(10);
        assertThat(second).hasSize(10);
        assertThat(third).hasSize(5);
        List<ClaimedJob> all = Stream.of(first, second, third).flatMap(List::stream).toList();
        assertThat(all).extracting(ClaimedJob::id).containsExactlyInAnyOrderElementsOf(ids);
        for (ClaimedJob job : all) {
            assertThat(job.payload()).isEqualTo(bytes("b" + ids.indexOf(job.id())));
        }
        assertThat(all).extracting(ClaimedJob::leaseToken).doesNotHaveDuplicates();
    }

    @ContractTest
    void batchWithAnOversizedPayloadStoresNothing(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        List<JobRequest> batch = List.of(JobRequest.of(bytes("fine")), JobRequest.of(overLimit(q)));

        assertThatThrownBy(() -> q.enqueueAll(queue, batch)).isInstanceOf(JobTooLargeException.class);
        assertThat(q.stats(queue).total()).isZero();
    }

    @ContractTest
    void completeAllAnswersEachJobOnItsOwn(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueueAll(queue, List.of(JobRequest.of(bytes("a")), JobRequest.of(bytes("b"))));
        List<ClaimedJob> valid = q.claim(queue, 2, LONG_LEASE, ZERO);
        q.enqueue(queue, JobRequest.of(bytes("c")));
        ClaimedJob stale = q.claim(queue, 1, ofMillis(200), ZERO).getFirst();
        ClaimedJob current = awaitClaim(q, queue);
        q.enqueue(queue, JobRequest.of(bytes("d")));
        ClaimedJob done = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        assertThat(q.complete(done)).isTrue();

        List<Boolean> answers = q.completeAll(List.of(valid.get(0), stale, done, valid.get(1)));

        assertThat(answers).containsExactly(true, false, false, true);
        assertThat(q.completeAll(List.of())).isEmpty();
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 1, 0));
        assertThat(q.completeAll(List.of(current))).containsExactly(true);
    }

    // ---------------------------------------------------------------- stats, purge, isolation

    @ContractTest
    void statsAreExactAtRest(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("dead")).withMaxAttempts(1).withPriority(9));
        q.enqueue(queue, JobRequest.of(bytes("leased")).withPriority(8));
        q.enqueueAll(queue, List.of(JobRequest.of(bytes("r1")), JobRequest.of(bytes("r2")), JobRequest.of(bytes("r3"))));
        Instant later = Instant.now().plusSeconds(3600);
        q.enqueue(queue, JobRequest.of(bytes("s1")).withRunAt(later));
        q.enqueue(queue, JobRequest.of(bytes("s2")).withRunAt(later));
        List<ClaimedJob> claimed = q.claim(queue, 2, LONG_LEASE, ZERO);
        assertThat(q.fail(claimed.getFirst(), "dead on arrival").outcome()).isEqualTo(Outcome.DEAD);

        assertThat(q.stats(queue)).isEqualTo(new QueueStats(3, 2, 1, 1));
    }

    @ContractTest
    void purgeRemovesEveryStateAndLeavesOtherQueuesAlone(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        String other = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("x")).withMaxAttempts(1));
        q.enqueue(queue, JobRequest.of(bytes("y")));
        q.enqueue(queue, JobRequest.of(bytes("z")).withRunAt(Instant.now().plusSeconds(3600)));
        q.enqueue(queue, JobRequest.of(bytes("w")));
        q.fail(q.claim(queue, 1, LONG_LEASE, ZERO).getFirst(), "dead");
        ClaimedJob leased = q.claim(queue, 1, LONG_LEASE, ZERO).getFirst();
        String kept = q.enqueue(other, JobRequest.of(bytes("other")));

        assertThat(q.purge(queue)).isEqualTo(4);

        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 0, 0));
        assertThat(q.deadLetters(queue, 10)).isEmpty();
        assertThat(q.complete(leased)).isFalse();
        assertThat(q.stats(other)).isEqualTo(new QueueStats(1, 0, 0, 0));
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
        assertThat(q.claim(other, 1, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(kept);
    }

    @ContractTest
    void queuesAreIsolated(String strategy) {
        QueueBackend q = open(strategy);
        String a = newQueue(q);
        String b = newQueue(q);
        String inA = q.enqueue(a, JobRequest.of(bytes("a")));

        assertThat(q.claim(b, 10, LONG_LEASE, ZERO)).isEmpty();
        assertThat(q.stats(b).total()).isZero();
        assertThat(q.claim(a, 10, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(inA);
    }

    // ---------------------------------------------------------------- payloads and names

    @ContractTest
    void payloadsRoundTripByteForByte(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        byte[] empty = new byte[0];
        byte[] everyByte = new byte[512];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] mebibyte = new byte[1 << 20];
        new Random(42).nextBytes(mebibyte);
        assertThat(q.capabilities().maxPayloadBytes()).isGreaterThanOrEqualTo(mebibyte.length);
        List<byte[]> payloads = List.of(empty, everyByte, mebibyte);
        for (byte[] payload : payloads) {
            q.enqueue(queue, JobRequest.of(payload));
        }

        List<ClaimedJob> claimed = q.claim(queue, 3, LONG_LEASE, ZERO);
        assertThat(claimed).hasSize(3);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(claimed.get(i).payload()).as("payload %d", i).isEqualTo(payloads.get(i));
        }
    }

    @ContractTest
    void oversizedPayloadIsRejectedAndNothingStored(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);

        assertThatThrownBy(() -> q.enqueue(queue, JobRequest.of(overLimit(q))))
                .isInstanceOf(JobTooLargeException.class)
                .hasMessageContaining(String.valueOf(q.capabilities().maxPayloadBytes()));
        assertThat(q.stats(queue).total()).isZero();
    }

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
        assertThat(q.complete(real)).isTrue();
    }

    // ---------------------------------------------------------------- lifecycle

    @ContractTest
    void closeIsIdempotentAndLaterCallsThrow(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueue(queue, JobRequest.of(bytes("x")));

        q.close();
        q.close();

        assertThatThrownBy(() -> q.enqueue(queue, JobRequest.of(bytes("y")))).isInstanceOf(BackendClosedException.class);
        assertThatThrownBy(() -> q.claim(queue, 1, LONG_LEASE, ZERO)).isInstanceOf(BackendClosedException.class);
        assertThatThrownBy(() -> q.stats(queue)).isInstanceOf(BackendClosedException.class);
    }

    @ContractTest
    void waitingClaimEndsWhenTheBackendCloses(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return q.claim(queue, 1, LONG_LEASE, ofSeconds(30));
            } catch (BackendClosedException e) {
                return e;
            }
        });
        await().pollDelay(ofMillis(200)).until(() -> true);

        q.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).satisfiesAnyOf(
                result -> assertThat(result).isInstanceOf(BackendClosedException.class),
                result -> assertThat(result).isEqualTo(List.of()));
    }

    // ---------------------------------------------------------------- soak

    @ContractTest
    void soakOfProducersConsumersAndRandomFailuresBalancesTheLedger(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        int producers = 2;
        int jobsPerProducer = 600;
        Set<String> enqueued = ConcurrentHashMap.newKeySet();
        Map<String, Integer> completed = new ConcurrentHashMap<>();
        Set<String> dead = ConcurrentHashMap.newKeySet();
        Set<String> deliveries = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicateDeliveries = new AtomicInteger();
        AtomicInteger producing = new AtomicInteger(producers);
        ExecutorService pool = Executors.newFixedThreadPool(producers + 4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < jobsPerProducer; i += 20) {
                        List<JobRequest> batch = IntStream.range(i, i + 20)
                                .mapToObj(n -> JobRequest.of(bytes(producer + "-" + n)).withMaxAttempts(2)).toList();
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
                tasks.add(pool.submit(() -> {
                    while (producing.get() > 0 || completed.size() + dead.size() < enqueued.size()) {
                        for (ClaimedJob job : q.claim(queue, 8, LONG_LEASE, ofMillis(100))) {
                            if (!deliveries.add(job.id() + "#" + job.attempt())) {
                                duplicateDeliveries.incrementAndGet();
                            }
                            if (ThreadLocalRandom.current().nextInt(10) == 0) {
                                if (q.fail(job, "random failure").outcome() == Outcome.DEAD) {
                                    dead.add(job.id());
                                }
                            } else if (q.complete(job)) {
                                completed.merge(job.id(), 1, Integer::sum);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(enqueued).hasSize(producers * jobsPerProducer);
        assertThat(duplicateDeliveries).hasValue(0);
        assertThat(completed.values()).containsOnly(1);
        assertThat(completed.keySet()).doesNotContainAnyElementsOf(dead);
        Set<String> settled = new HashSet<>(completed.keySet());
        settled.addAll(dead);
        assertThat(settled).as("every enqueued job completed or dead").isEqualTo(enqueued);
        assertThat(q.stats(queue)).isEqualTo(new QueueStats(0, 0, 0, dead.size()));
    }

    // ---------------------------------------------------------------- helpers

    /** Claims one job from a queue, waiting (by Awaitility) until one is claimable. */
    protected static ClaimedJob awaitClaim(QueueBackend q, String queue) {
        List<ClaimedJob> got = new ArrayList<>();
        await().atMost(ofSeconds(10)).pollInterval(ofMillis(25)).until(() -> {
            got.addAll(q.claim(queue, 1, LONG_LEASE, ZERO));
            return !got.isEmpty();
        });
        return got.getFirst();
    }

    /** Waits, by Awaitility, until the local clock is past an instant. */
    protected static void awaitPast(Instant instant) {
        await().atMost(ofSeconds(10)).pollInterval(ofMillis(20)).until(() -> Instant.now().isAfter(instant.plusMillis(20)));
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] overLimit(QueueBackend q) {
        int max = q.capabilities().maxPayloadBytes();
        assumeTrue(max < 256 << 20, "payload limit too large to test with one allocation");
        return new byte[max + 1];
    }
}
