package dev.queuebench.tck;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.JobTooLargeException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Clauses of enqueue and claim: values, waiting, exclusivity per delivery, order, batches, payloads, durability. */
public abstract class ClaimClauses extends TckFixture {
    /** Empty 200 ms claims in a row after which a racing claimer takes the queue for drained (or its jobs lost). */
    private static final int EMPTY_CLAIMS_BEFORE_GIVING_UP = 10;

    // ---------------------------------------------------------------- values

    @ContractTest
    void enqueuedJobIsClaimedWithItsDataAndFirstAttempt(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        Duration tolerance = clockTolerance();
        Instant beforeEnqueue = Instant.now();
        String id = q.enqueue(queue, JobRequest.of(bytes("hello")).withPriority(3).withMaxAttempts(4));
        Instant afterEnqueue = Instant.now();

        Instant beforeClaim = Instant.now();
        List<ClaimedJob> claimed = q.claim(queue, 1, ofSeconds(30), ZERO);
        Instant afterClaim = Instant.now();

        assertThat(claimed).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(id);
            assertThat(job.queue()).isEqualTo(queue);
            assertThat(job.payload()).isEqualTo(bytes("hello"));
            assertThat(job.priority()).isEqualTo(3);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.maxAttempts()).isEqualTo(4);
            assertThat(job.enqueuedAt()).as("enqueuedAt, by the backend's clock within %s", tolerance)
                    .isBetween(beforeEnqueue.minus(tolerance), afterEnqueue.plus(tolerance));
            assertThat(job.leaseExpiresAt()).as("leaseExpiresAt = claim time + lease, within %s", tolerance)
                    .isBetween(beforeClaim.plusSeconds(30).minus(tolerance),
                            afterClaim.plusSeconds(30).plus(tolerance));
            assertThat(job.leaseToken()).isNotBlank();
        });
    }

    // ---------------------------------------------------------------- waiting

    @ContractTest
    void claimOnEmptyQueueReturnsNothingOnceItsWaitIsOver(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        Duration wait = ofMillis(400);
        long start = System.nanoTime();

        List<ClaimedJob> claimed = q.claim(queue, 5, LONG_LEASE, wait);
        Duration took = Duration.ofNanos(System.nanoTime() - start); // the claim's time, not the assertions'

        assertThat(claimed).isEmpty();
        assertThat(took).as("a waiting claim waits its whole timeout").isGreaterThanOrEqualTo(wait.minusMillis(10));
        assertThat(took).as("and returns soon after it").isLessThan(wait.plus(SLACK));
        assertThat(q.claim(queue, 5, LONG_LEASE, ZERO)).isEmpty();
    }

    @ContractTest
    void waitingClaimIsWokenByAnEnqueueWithinItsDeclaredBound(String strategy) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        boolean wakes = declares(q, Feature.WAKE_ON_ENQUEUE);
        List<Duration> wakeUps = new ArrayList<>();
        // Three tries; where wake-ups are declared, up to five until two were within the bound: a burst of load
        // that starves the JVM (or a server it started) for a second cannot fail a backend that wakes, while a
        // poller at 1 s that looked as its claim began finds each job some 700 ms after its enqueue, in every try.
        while (wakeUps.size() < 3 || wakes && wakeUps.size() < 5 && withinWakeBound(wakeUps) < 2) {
            wakeUps.add(timeWakeUp(q, queue));
        }

        assertThat(wakeUps).as("enqueue to claim, at most the poll interval plus slack")
                .allSatisfy(took -> assertThat(took).isLessThan(pollBound(q)));
        if (wakes) {
            assertThat(withinWakeBound(wakeUps)).as("wake-ups within %s of the enqueue, of %s", WAKE_BOUND, wakeUps)
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /** How many of the wake-ups took at most {@link #WAKE_BOUND}. */
    private static long withinWakeBound(List<Duration> wakeUps) {
        return wakeUps.stream().filter(d -> d.compareTo(WAKE_BOUND) <= 0).count();
    }

    /** How long after an enqueue a claim that was already waiting (20 s timeout) returned that job. */
    private static Duration timeWakeUp(QueueBackend q, String queue) throws Exception {
        CompletableFuture<List<ClaimedJob>> waiting =
                CompletableFuture.supplyAsync(() -> q.claim(queue, 1, LONG_LEASE, ofSeconds(20)), ON_OWN_THREAD);
        pause(ofMillis(300)); // lets the claim park; its timing is not part of the measure
        assertThat(waiting).as("a claim on an empty queue waits").isNotDone();
        long start = System.nanoTime();
        String id = q.enqueue(queue, JobRequest.of(bytes("wake")));
        List<ClaimedJob> claimed = waiting.get(25, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(claimed).extracting(ClaimedJob::id).containsExactly(id);
        assertThat(q.complete(claimed.getFirst())).isTrue();
        return took;
    }

    // ---------------------------------------------------------------- exclusivity, per delivery

    @ContractTest
    void concurrentSingleClaimersNeverHoldOneJobAtOnce(String strategy) throws Exception {
        raceClaimers(strategy, 1);
    }

    @ContractTest
    void concurrentBatchClaimersNeverHoldOneJobAtOnce(String strategy) throws Exception {
        raceClaimers(strategy, 10);
    }

    /**
     * Eight claimers (half claiming one job at a time, half {@code batch}) drain 2,000 jobs; every claim result is
     * recorded and judged by {@link DeliveryRecorder}: no job is held by two valid leases at once, whatever the
     * tokens, each is delivered once, and no completion of a valid lease is refused. A claimer stops once the
     * claimers together took as many jobs as were enqueued, or after {@link #EMPTY_CLAIMS_BEFORE_GIVING_UP} empty
     * claims in a row (a backend that lost jobs), not at its first: a 200 ms wait that comes back empty on a busy
     * machine is no sign that the queue is drained.
     */
    private void raceClaimers(String strategy, int batch) throws Exception {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        int jobs = 2000;
        Set<String> enqueued = new HashSet<>();
        for (int from = 0; from < jobs; from += 500) {
            enqueued.addAll(q.enqueueAll(queue, IntStream.range(from, from + 500)
                    .mapToObj(i -> JobRequest.of(bytes("job-" + i))).toList()));
        }
        DeliveryRecorder recorder = new DeliveryRecorder(clockTolerance());
        AtomicInteger taken = new AtomicInteger();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int size = t % 2 == 0 ? 1 : batch;
                workers.add(pool.submit(() -> {
                    for (int empty = 0; taken.get() < jobs && empty < EMPTY_CLAIMS_BEFORE_GIVING_UP; ) {
                        List<ClaimedJob> claimed = recorder.claim(q, queue, size, LONG_LEASE, ofMillis(200));
                        empty = claimed.isEmpty() ? empty + 1 : 0;
                        taken.addAndGet(claimed.size());
                        if (!claimed.isEmpty()) {
                            recorder.completeAll(q, claimed);
                        }
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

        assertThat(recorder.violations()).as("exclusivity and fencing violations").isEmpty();
        assertThat(recorder.deliveriesPerJob().keySet()).isEqualTo(enqueued);
        assertThat(recorder.deliveriesPerJob().values()).as("deliveries per job").containsOnly(1L);
        assertStats(q, queue, new QueueStats(0, 0, 0, 0));
    }

    // ---------------------------------------------------------------- order

    @ContractTest
    void higherPriorityIsClaimedFirstIncludingTheExtremes(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.PRIORITIES);
        String queue = newQueue(q);
        int[] priorities = {0, Integer.MIN_VALUE, 5, -1, Integer.MAX_VALUE, 10, 5, Integer.MIN_VALUE + 1, 1};
        for (int priority : priorities) {
            q.enqueue(queue, JobRequest.of(bytes("p" + priority)).withPriority(priority));
        }

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            order.add(q.claim(queue, 1, LONG_LEASE, ZERO).getFirst().priority());
        }
        assertThat(order).containsExactly(Integer.MAX_VALUE, 10, 5, 5, 1, 0, -1, Integer.MIN_VALUE + 1,
                Integer.MIN_VALUE);
    }

    @ContractTest
    void batchClaimTakesTheHighestPrioritiesFirst(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.PRIORITIES);
        String queue = newQueue(q);
        for (int priority : new int[] {1, Integer.MIN_VALUE, 7, Integer.MAX_VALUE, 3}) {
            q.enqueue(queue, JobRequest.of(bytes("p" + priority)).withPriority(priority));
        }

        assertThat(q.claim(queue, 3, LONG_LEASE, ZERO)).extracting(ClaimedJob::priority)
                .containsExactlyInAnyOrder(Integer.MAX_VALUE, 7, 3);
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
        ids.addAll(q.enqueueAll(queue, IntStream.range(30, 60).mapToObj(i -> JobRequest.of(bytes("fifo-" + i)))
                .toList()));

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
        requireFeature(q, Feature.DELAYED_JOBS);
        String queue = newQueue(q);
        String now = q.enqueue(queue, JobRequest.of(bytes("now")));
        String overdue = q.enqueue(queue, JobRequest.of(bytes("overdue")).withRunAt(Instant.now().minusSeconds(60)));

        assertThat(q.claim(queue, 2, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(overdue, now);
    }

    // ---------------------------------------------------------------- batches

    @ContractTest
    void batchesOfOneHundredAndOneThousandRoundTripInOrder(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        for (int size : new int[] {1, 100, 1000}) {
            List<String> ids = q.enqueueAll(queue, IntStream.range(0, size)
                    .mapToObj(i -> JobRequest.of(bytes(size + "/" + i))).toList());
            assertThat(ids).hasSize(size).doesNotHaveDuplicates();

            List<ClaimedJob> claimed = new ArrayList<>();
            List<ClaimedJob> got;
            while (!(got = q.claim(queue, 250, LONG_LEASE, ZERO)).isEmpty()) {
                assertThat(got.size()).as("a batch claim takes at most maxJobs").isLessThanOrEqualTo(250);
                claimed.addAll(got);
            }
            assertThat(claimed).extracting(ClaimedJob::id).containsExactlyInAnyOrderElementsOf(ids);
            for (ClaimedJob job : claimed) {
                assertThat(job.payload()).isEqualTo(bytes(size + "/" + ids.indexOf(job.id())));
            }
            assertThat(claimed).extracting(ClaimedJob::leaseToken).doesNotHaveDuplicates();
            assertThat(q.completeAll(claimed)).hasSize(size).containsOnly(true);
        }
        assertThat(q.enqueueAll(queue, List.of())).isEmpty();
        assertThat(q.completeAll(List.of())).isEmpty();
    }

    @ContractTest
    void batchClaimTakesExactlyMaxJobsWhenMoreAreReady(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        q.enqueueAll(queue, IntStream.range(0, 25).mapToObj(i -> JobRequest.of(bytes("b" + i))).toList());

        assertThat(q.claim(queue, 10, LONG_LEASE, ZERO)).hasSize(10);
        assertThat(q.claim(queue, 10, LONG_LEASE, ZERO)).hasSize(10);
        assertThat(q.claim(queue, 10, LONG_LEASE, ZERO)).hasSize(5);
    }

    @ContractTest
    void batchWithAnOversizedPayloadStoresNothingWhateverItsSize(String strategy) {
        QueueBackend q = open(strategy);
        requireFeature(q, Feature.ATOMIC_BATCH);
        String queue = newQueue(q);
        byte[] tooLarge = new byte[checkableLimit(q) + 1];
        for (int size : new int[] {1, 100, 1000}) {
            List<JobRequest> batch = new ArrayList<>(IntStream.range(0, size - 1)
                    .mapToObj(i -> JobRequest.of(bytes("fine"))).toList());
            batch.add(JobRequest.of(tooLarge));

            assertThatThrownBy(() -> q.enqueueAll(queue, batch)).isInstanceOf(JobTooLargeException.class);
            assertThat(q.claim(queue, 1000, LONG_LEASE, ZERO)).as("stored of a failed batch of %d", size).isEmpty();
        }
    }

    // ---------------------------------------------------------------- payloads

    @ContractTest
    void payloadsRoundTripByteForByte(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        byte[] everyByte = new byte[512];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] mebibyte = new byte[1 << 20];
        new Random(42).nextBytes(mebibyte);
        List<byte[]> payloads = List.of(new byte[0], everyByte, mebibyte);
        for (byte[] payload : payloads) {
            q.enqueue(queue, JobRequest.of(payload));
        }

        List<ClaimedJob> claimed = q.claim(queue, 3, LONG_LEASE, ZERO);
        assertThat(claimed).hasSize(3);
        for (ClaimedJob job : claimed) {
            assertThat(payloads).as("payload of %s returned byte for byte", job)
                    .anySatisfy(p -> assertThat(job.payload()).isEqualTo(p));
        }
    }

    @ContractTest
    void payloadOfExactlyTheDeclaredLimitRoundTrips(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        byte[] atLimit = new byte[checkableLimit(q)];
        new Random(7).nextBytes(atLimit);

        q.enqueue(queue, JobRequest.of(atLimit));

        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).singleElement()
                .satisfies(job -> assertThat(job.payload()).isEqualTo(atLimit));
    }

    @ContractTest
    void payloadOneByteOverTheLimitIsRejectedAndNothingStored(String strategy) {
        QueueBackend q = open(strategy);
        String queue = newQueue(q);
        int max = checkableLimit(q);

        assertThatThrownBy(() -> q.enqueue(queue, JobRequest.of(new byte[max + 1])))
                .isInstanceOf(JobTooLargeException.class)
                .hasMessageContaining(String.valueOf(max));
        assertThatThrownBy(() -> q.enqueueAll(queue, List.of(JobRequest.of(new byte[max + 1]))))
                .isInstanceOf(JobTooLargeException.class);
        assertThat(q.claim(queue, 1, LONG_LEASE, ZERO)).isEmpty();
    }

    // ---------------------------------------------------------------- durability

    @ContractTest
    void jobOutlivesTheBackendThatEnqueuedItUnlessDurabilityIsProcess(String strategy) {
        QueueBackend first = open(strategy);
        assumeTrue(first.capabilities().durability() != Durability.PROCESS,
                "backend declares durability PROCESS: its jobs live in the instance that enqueued them");
        String queue = newQueue(first);
        String id = first.enqueue(queue, JobRequest.of(bytes("kept")));
        first.close();

        QueueBackend second = open(strategy);
        purgeAfterTest(second, queue);

        assertThat(second.claim(queue, 1, LONG_LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(id);
    }
}
