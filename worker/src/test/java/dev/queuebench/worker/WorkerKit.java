package dev.queuebench.worker;

import static dev.queuebench.worker.RecordingListener.Kind.ABANDONED;
import static dev.queuebench.worker.RecordingListener.Kind.ACKNOWLEDGED;
import static dev.queuebench.worker.RecordingListener.Kind.ACKNOWLEDGING;
import static dev.queuebench.worker.RecordingListener.Kind.CLAIMED;
import static dev.queuebench.worker.RecordingListener.Kind.EXTENDED;
import static dev.queuebench.worker.RecordingListener.Kind.FAILED;
import static dev.queuebench.worker.RecordingListener.Kind.LEASE_LOST;
import static dev.queuebench.worker.RecordingListener.Kind.REFUSED;
import static dev.queuebench.worker.RecordingListener.Kind.STARTED;
import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult.Outcome;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.worker.RecordingListener.Event;
import dev.queuebench.worker.FaultyBackend.Fault;
import io.micrometer.core.instrument.DistributionSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The worker runtime against one backend, like the TCK: a backend's test extends this class, supplies its
 * {@link #provider()} and a {@link #baseConfig()} that reaches its server, and every test runs once per strategy.
 * Each test works on queues of its own and purges them afterwards. No test asserts on speed; waits are Awaitility's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class WorkerKit {
    /** Short enough that a lapsed lease comes back within a test, long enough for a loaded machine to extend it. */
    private static final Duration SHORT_LEASE = ofSeconds(2);
    private static final Duration PATIENCE = ofSeconds(30);

    private final List<QueueBackend> backends = new ArrayList<>();
    private final List<QueueWorker> workers = new ArrayList<>();
    private final Map<QueueBackend, Set<String>> queues = new ConcurrentHashMap<>();

    protected abstract QueueBackendProvider provider();

    /** Configuration that reaches the test server, without strategy and backoff keys; may skip the test. */
    protected BackendConfig baseConfig() {
        return BackendConfig.empty();
    }

    protected Stream<String> strategies() {
        return provider().strategies().stream();
    }

    // ---------------------------------------------------------------- every job, once, in batches

    @KitTest
    void everyJobIsHandledOnceAndAcknowledgedInBatchesWithinTheBound(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        List<String> names = enqueue(backend, queue, "job-", 300);
        RecordingListener events = new RecordingListener();

        QueueWorker worker = start(worker(backend).queue(queue).concurrency(4).claimBatch(8)
                .ackBatch(16).ackDelay(ofMillis(20)).listener(events).handler(job -> JobResult.done()));
        await().atMost(PATIENCE).until(() -> events.acknowledged().size() == names.size());
        worker.close();

        assertThat(events.acknowledged()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(events.count(STARTED)).as("no job ran twice").isEqualTo(names.size());
        events.assertOneFinalEventPerClaim();
        assertThat(backend.stats(queue).total()).isZero();
        assertThat(worker.inFlight()).isZero();
        assertThat(counted(worker, backend, queue, WorkerMeters.PROCESSED, "done")).isEqualTo(names.size());
        DistributionSummary acks = worker.meterRegistry().get(WorkerMeters.ACK_BATCH).tags(tags(backend, queue))
                .summary();
        assertThat(acks.totalAmount()).isEqualTo(names.size());
        assertThat(acks.max()).isLessThanOrEqualTo(16);
        assertThat(acks.count()).as("acknowledgements were batched").isLessThan(names.size());
    }

    // ---------------------------------------------------------------- leases

    @KitTest
    void heartbeatsKeepALongJobAndItsBatchMateFromBeingRedelivered(String strategy) throws Exception {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        enqueue(backend, queue, "long-", 2);
        RecordingListener events = new RecordingListener();
        CountDownLatch release = new CountDownLatch(1);

        start(worker(backend).queue(queue).concurrency(1).claimBatch(2).lease(SHORT_LEASE)
                .extendLeaseAfter(0.5).listener(events).handler(job -> {
                    release.await();
                    return JobResult.done();
                }));
        // three extensions each: both jobs, one running and one waiting its turn, are held past one whole lease
        await().atMost(PATIENCE).until(() -> events.of(EXTENDED).stream().map(Event::name).distinct().count() == 2
                && events.of(EXTENDED).size() >= 6);

        assertThat(backend.claim(queue, 10, SHORT_LEASE, ZERO)).as("a rival claim finds nothing").isEmpty();
        release.countDown();
        await().atMost(PATIENCE).until(() -> events.acknowledged().size() == 2);
        assertThat(events.of(STARTED)).hasSize(2).allSatisfy(e -> assertThat(e.attempt()).isEqualTo(1));
        assertThat(events.count(LEASE_LOST) + events.count(REFUSED) + events.count(ABANDONED)).isZero();
        assertThat(backend.stats(queue).total()).isZero();
    }

    @KitTest
    void lostLeaseIsReportedToTheHandlerAndItsResultIsNeverAcknowledged(String strategy) throws Exception {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        enqueue(backend, queue, "lost-", 1);
        RecordingListener events = new RecordingListener();
        CountDownLatch returned = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean sawLeaseLost = new AtomicBoolean();

        QueueWorker worker = start(worker(backend).queue(queue).lease(SHORT_LEASE).listener(events)
                .handler(job -> {
                    try {
                        new CountDownLatch(1).await(); // works until told to stop
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                    sawLeaseLost.set(job.leaseLost());
                    returned.countDown();
                    return JobResult.done();
                }));
        await().atMost(PATIENCE).until(() -> events.count(STARTED) == 1);
        backend.purge(queue); // the job is gone: the next extension is refused

        assertThat(returned.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).as("the handler was interrupted").isTrue();
        assertThat(sawLeaseLost).as("Job.leaseLost() said so").isTrue();
        assertThat(events.of(LEASE_LOST)).hasSize(1);
        assertThat(events.count(ACKNOWLEDGING) + events.count(FAILED)).as("never settled").isZero();
        events.assertOneFinalEventPerClaim();
        assertThat(worker.inFlight()).isZero();
        assertThat(counted(worker, backend, queue, WorkerMeters.LEASE_EXTENSIONS, "lost")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- handler results

    @KitTest
    void handlerErrorIsRetriedAndAPoisonJobEndsDeadAfterItsLastAttempt(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        backend.enqueueAll(queue, List.of(request("flaky", 3), request("poison", 3)));
        RecordingListener events = new RecordingListener();

        start(worker(backend).queue(queue).concurrency(2).listener(events).handler(job -> {
            if (name(job).equals("poison") || job.attempt() == 1) {
                throw new IllegalStateException("boom " + name(job));
            }
            return JobResult.done();
        }));
        await().atMost(PATIENCE).until(() -> !events.of(FAILED, "poison").isEmpty()
                && events.of(FAILED, "poison").getLast().outcome() == Outcome.DEAD
                && events.acknowledged().size() == 1);

        assertThat(events.of(FAILED, "poison")).extracting(Event::attempt, Event::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, Outcome.RETRY_SCHEDULED),
                org.assertj.core.groups.Tuple.tuple(2, Outcome.RETRY_SCHEDULED),
                org.assertj.core.groups.Tuple.tuple(3, Outcome.DEAD));
        assertThat(events.acknowledged()).containsExactly("flaky");
        assertThat(events.of(STARTED, "flaky")).extracting(Event::attempt).containsExactly(1, 2);
        List<DeadJob> dead = backend.deadLetters(queue, 10);
        assertThat(dead).singleElement().satisfies(job -> {
            assertThat(job.attempts()).isEqualTo(3);
            assertThat(job.lastError()).contains("IllegalStateException: boom poison");
        });
    }

    @KitTest
    void retryAfterRunsTheJobAgainNoSoonerAndDiscardDropsIt(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        Duration delay = ofMillis(400);
        backend.enqueueAll(queue, List.of(request("later", 3), request("drop", 3), request("last", 1)));
        RecordingListener events = new RecordingListener();

        QueueWorker worker = start(worker(backend).queue(queue).concurrency(3).listener(events)
                .handler(job -> switch (name(job)) {
                    case "later" -> job.attempt() == 1 ? JobResult.retryAfter(delay) : JobResult.done();
                    case "drop" -> JobResult.discard();
                    default -> JobResult.retryAfter(ofMillis(1)); // "last": on its only attempt
                }));
        await().atMost(PATIENCE).until(() -> events.acknowledged().size() == 2 && !events.of(FAILED, "last").isEmpty());

        Event retried = events.of(FAILED, "later").getFirst();
        assertThat(retried.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
        Event again = events.of(STARTED, "later").getLast();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.at()).as("not before the delay (50 ms allowed for the clocks)")
                .isAfterOrEqualTo(retried.at().plus(delay).minusMillis(50));
        assertThat(events.of(STARTED, "drop")).hasSize(1);
        assertThat(events.of(FAILED, "last")).singleElement().extracting(Event::outcome).isEqualTo(Outcome.DEAD);
        assertThat(backend.deadLetters(queue, 10)).singleElement()
                .satisfies(job -> assertThat(job.lastError()).contains("last attempt"));
        assertThat(backend.stats(queue).total()).as("only the dead one is left").isEqualTo(1);
        assertThat(counted(worker, backend, queue, WorkerMeters.PROCESSED, "discarded")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- nothing is lost

    @KitTest
    void killedHandlerThreadsLoseNothing(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        List<String> names = new ArrayList<>();
        names.addAll(enqueue(backend, queue, "kill-", 2));
        names.addAll(enqueue(backend, queue, "error-", 4));
        names.addAll(enqueue(backend, queue, "ok-", 6));
        List<Thread> victims = new CopyOnWriteArrayList<>();
        RecordingListener events = new RecordingListener();

        start(worker(backend).queue(queue).concurrency(4).listener(events).handler(job -> {
            if (job.attempt() == 1 && name(job).startsWith("kill-")) {
                victims.add(Thread.currentThread());
                new CountDownLatch(1).await(); // until the thread is killed
            }
            if (job.attempt() == 1 && name(job).startsWith("error-")) {
                throw new StackOverflowError("simulated: the handler's thread blew its stack");
            }
            return JobResult.done();
        }));
        await().atMost(PATIENCE).until(() -> victims.size() == 2);
        victims.forEach(Thread::interrupt);

        await().atMost(PATIENCE).until(() -> events.acknowledged().size() == names.size());
        assertThat(events.acknowledged()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(events.of(FAILED)).extracting(Event::name)
                .containsExactlyInAnyOrder("kill-0", "kill-1", "error-0", "error-1", "error-2", "error-3");
        assertThat(events.of(FAILED)).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED));
        events.assertOneFinalEventPerClaim();
        assertThat(backend.stats(queue).total()).isZero();
    }

    @KitTest
    void workerThreadThatDiesHoldingJobsLosesNothingAndIsReplaced(String strategy) {
        FaultyBackend backend = new FaultyBackend(open(strategy));
        String queue = newQueue(backend);
        List<String> names = enqueue(backend, queue, "job-", 8);
        backend.ackFaults.addAll(List.of(Fault.BEFORE_THE_CALL, Fault.AFTER_THE_CALL));
        RecordingListener events = new RecordingListener();

        // one loop, acknowledging inline: each fault kills the only thread while it holds the rest of its batch
        start(worker(backend).queue(queue).concurrency(1).claimBatch(4).lease(SHORT_LEASE)
                .ackBatch(1).ackDelay(ZERO).listener(events).handler(job -> JobResult.done()));
        await().atMost(PATIENCE).until(() -> backend.stats(queue).total() == 0);

        assertThat(backend.ackFaults).as("both faults struck").isEmpty();
        assertThat(events.count(ABANDONED)).as("the jobs the dead threads held").isGreaterThanOrEqualTo(2);
        assertThat(events.of(STARTED)).as("abandoned jobs came back")
                .anySatisfy(e -> assertThat(e.attempt()).isEqualTo(2));
        Set<String> settled = new HashSet<>(events.acknowledged());
        settled.addAll(events.of(ABANDONED).stream().map(Event::name).toList()); // one of these did complete
        assertThat(settled).containsExactlyInAnyOrderElementsOf(names);
        assertThat(backend.deadLetters(queue, 10)).isEmpty();
        await().atMost(PATIENCE).untilAsserted(events::assertOneFinalEventPerClaim);
    }

    @KitTest
    void closeDrainsHeldJobsAndAcknowledgesThem(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        List<String> names = enqueue(backend, queue, "job-", 200);
        RecordingListener events = new RecordingListener();
        QueueWorker first = start(worker(backend).queue(queue).concurrency(4).claimBatch(5)
                .listener(events).handler(job -> work(ofMillis(2))));
        await().atMost(PATIENCE).until(() -> events.acknowledged().size() >= 20);

        first.close();

        assertThat(first.inFlight()).isZero();
        events.assertOneFinalEventPerClaim();
        assertThat(events.count(ABANDONED)).as("every held job finished within the drain timeout").isZero();
        assertThat(events.count(CLAIMED)).isEqualTo(events.acknowledged().size());
        first.close(); // a second close does nothing
        drainTheRest(backend, queue, names, events);
    }

    @KitTest
    void withClaimAheadOneAtATimeCloseUnderLoadRunsAndAcknowledgesEveryJobItClaimed(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        List<String> names = enqueue(backend, queue, "job-", 200);
        RecordingListener events = new RecordingListener();
        QueueWorker first = start(worker(backend).queue(queue).concurrency(4).claimAhead(true).ackBatch(1)
                .ackDelay(ZERO).listener(events).handler(job -> work(ofMillis(2))));
        await().atMost(PATIENCE).until(() -> events.acknowledged().size() >= 20);

        first.close();

        assertThat(first.inFlight()).isZero();
        events.assertOneFinalEventPerClaim();
        assertThat(events.count(ABANDONED)).as("jobs claimed ahead ran too, within the drain timeout").isZero();
        assertThat(events.count(CLAIMED)).isEqualTo(events.acknowledged().size());
        drainTheRest(backend, queue, names, events);
    }

    @KitTest
    void shutdownUnderLoadPastItsTimeoutLeavesEveryUnfinishedJobForRedelivery(String strategy) {
        QueueBackend backend = open(strategy);
        String queue = newQueue(backend);
        List<String> names = new ArrayList<>(enqueue(backend, queue, "hang-", 2));
        names.addAll(enqueue(backend, queue, "job-", 100));
        RecordingListener events = new RecordingListener();
        QueueWorker first = start(worker(backend).queue(queue).concurrency(4).claimBatch(3)
                .lease(SHORT_LEASE).drainTimeout(ofMillis(300)).listener(events).handler(job -> {
                    if (name(job).startsWith("hang-")) {
                        new CountDownLatch(1).await(); // never finishes by itself
                    }
                    return work(ofMillis(1));
                }));
        // both claimed (maybe in one loop's batch, one waiting behind the other), at least one running
        await().atMost(PATIENCE).until(() -> events.of(CLAIMED).stream().filter(e -> e.name().startsWith("hang-"))
                .count() == 2 && events.of(STARTED).stream().anyMatch(e -> e.name().startsWith("hang-")));

        first.close();

        await().atMost(PATIENCE).untilAsserted(events::assertOneFinalEventPerClaim); // interrupted handlers end late
        assertThat(first.inFlight()).isZero();
        assertThat(events.of(ABANDONED)).extracting(Event::name).contains("hang-0", "hang-1");
        assertThat(events.count(FAILED) + events.count(REFUSED) + events.count(LEASE_LOST)).isZero();
        drainTheRest(backend, queue, names, events);
        assertThat(events.of(ACKNOWLEDGED)).filteredOn(e -> e.name().startsWith("hang-"))
                .extracting(Event::attempt).as("redelivered after their lease ran out").containsExactly(2, 2);
    }

    // ---------------------------------------------------------------- several queues

    @KitTest
    void aBusyQueueDoesNotStarveAQuietOne(String strategy) {
        QueueBackend backend = open(strategy);
        String busy = newQueue(backend);
        String quiet = newQueue(backend);
        enqueue(backend, busy, "busy-", 400);
        enqueue(backend, quiet, "quiet-", 5);
        List<String> startOrder = new CopyOnWriteArrayList<>();

        // one loop, so the order is the rotation's alone, not the threads' scheduling
        start(worker(backend).queue(busy).queue(quiet).concurrency(1).handler(job -> {
            startOrder.add(job.queue());
            return JobResult.done();
        }));
        await().atMost(PATIENCE).until(() -> startOrder.stream().filter(quiet::equals).count() == 5);

        assertThat(List.copyOf(startOrder).subList(0, 10))
                .as("round-robin, one claim each: the backlog does not go first")
                .containsExactly(busy, quiet, busy, quiet, busy, quiet, busy, quiet, busy, quiet);
    }

    // ---------------------------------------------------------------- helpers

    /** Starts a second worker that finishes what is left; then every job was acknowledged once, none is dead. */
    private void drainTheRest(QueueBackend backend, String queue, List<String> names, RecordingListener events) {
        start(worker(backend).queue(queue).concurrency(4).claimBatch(5).listener(events)
                .handler(job -> JobResult.done()));
        await().atMost(PATIENCE).until(() -> backend.stats(queue).total() == 0);
        await().atMost(PATIENCE).until(() -> events.acknowledged().size() == names.size());
        assertThat(events.acknowledged()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(backend.deadLetters(queue, 10)).isEmpty();
    }

    /** A handler's work: {@code time} of waiting. */
    private static JobResult work(Duration time) {
        LockSupport.parkNanos(time.toNanos());
        return JobResult.done();
    }

    protected QueueBackend open(String strategy) {
        BackendConfig config = baseConfig()
                .with(QueueBackends.STRATEGY_KEY, strategy)
                .with("backoffBase", "50ms") // the backoff keys every provider accepts (see Backoff)
                .with("backoffMax", "200ms");
        QueueBackends.validate(provider(), config);
        QueueBackend backend = provider().create(config);
        backends.add(backend);
        return backend;
    }

    protected String newQueue(QueueBackend backend) {
        String queue = "wk-" + UUID.randomUUID().toString().substring(0, 13);
        queues.computeIfAbsent(backend, b -> ConcurrentHashMap.newKeySet()).add(queue);
        return queue;
    }

    /** A builder with the kit's defaults: claims wait 200 ms, a close drains for up to 5 s. */
    private static QueueWorker.Builder worker(QueueBackend backend) {
        return QueueWorker.builder(backend).claimWait(ofMillis(200)).drainTimeout(ofSeconds(5));
    }

    /** Starts the worker; it is closed after the test. */
    private QueueWorker start(QueueWorker.Builder builder) {
        QueueWorker worker = builder.start();
        workers.add(worker);
        return worker;
    }

    /** Enqueues {@code count} jobs named {@code prefix0}, {@code prefix1}, ...; returns the names. */
    private static List<String> enqueue(QueueBackend backend, String queue, String prefix, int count) {
        List<String> names = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        backend.enqueueAll(queue, names.stream().map(n -> request(n, JobRequest.DEFAULT_MAX_ATTEMPTS)).toList());
        return names;
    }

    private static JobRequest request(String name, int maxAttempts) {
        return JobRequest.of(name.getBytes(StandardCharsets.UTF_8)).withMaxAttempts(maxAttempts);
    }

    private static String name(Job job) {
        return new String(job.payload(), StandardCharsets.UTF_8);
    }

    /** The worker's counter of that name and {@code result} on {@code queue}, tagged like the backend's meters. */
    private static double counted(QueueWorker worker, QueueBackend backend, String queue, String meter, String result) {
        return worker.meterRegistry().get(meter).tags(tags(backend, queue)).tag(WorkerMeters.TAG_RESULT, result)
                .counter().count();
    }

    private static String[] tags(QueueBackend backend, String queue) {
        return new String[] {QueueMetrics.TAG_BACKEND, backend.name(), QueueMetrics.TAG_QUEUE, queue};
    }

    @AfterEach
    void closeEverything() {
        workers.reversed().forEach(QueueWorker::close);
        try {
            queues.forEach((backend, used) -> used.forEach(backend::purge));
        } catch (BackendClosedException e) {
            // a test closed it on purpose
        } finally {
            backends.reversed().forEach(QueueBackend::close);
        }
        workers.clear();
        backends.clear();
        queues.clear();
    }
}
