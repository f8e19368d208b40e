package dev.queuebench.worker;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.InvalidQueueNameException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.worker.RecordingListener.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What does not depend on the backend, on the memory backend: the builder's checks, the exact calls a configuration
 * makes (the benchmark suite's batch-1 and batch-n patterns), listener ordering against those calls, threads, close.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueWorkerTest {
    private final FaultyBackend backend = new FaultyBackend(QueueBackends.open("memory", BackendConfig.empty()));
    private final List<QueueWorker> workers = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        workers.reversed().forEach(QueueWorker::close);
        backend.close();
    }

    @Test
    void builderRejectsEachBadOptionNamingIt() {
        assertRejected(b -> b.concurrency(0), "concurrency");
        assertRejected(b -> b.claimBatch(0), "claimBatch");
        assertRejected(b -> b.ackBatch(0), "ackBatch");
        assertRejected(b -> b.lease(ZERO), "lease");
        assertRejected(b -> b.claimWait(ofMillis(-1)), "claimWait");
        assertRejected(b -> b.ackDelay(ofSeconds(30)), "ackDelay");
        assertRejected(b -> b.drainTimeout(ofMillis(-1)), "drainTimeout");
        assertRejected(b -> b.extendLeaseAfter(1.0), "extendLeaseAfter");
        assertRejected(b -> b.queue("q"), "queue");
        assertRejected(b -> b.handler(null), "handler");
        assertThatThrownBy(() -> QueueWorker.builder(backend).handler(job -> JobResult.done()).start())
                .hasMessageContaining("queue");
        assertThatThrownBy(() -> QueueWorker.builder(backend).queue("no spaces").handler(job -> JobResult.done())
                .start()).isInstanceOf(InvalidQueueNameException.class);
        assertThat(backend.log).as("nothing was claimed").isEmpty();
    }

    private void assertRejected(UnaryOperator<QueueWorker.Builder> change, String option) {
        QueueWorker.Builder valid = QueueWorker.builder(backend).queue("q").handler(job -> JobResult.done());
        assertThatThrownBy(() -> change.apply(valid).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(option);
    }

    @Test
    void batchOfOneClaimsOneJobAndCompletesEachAlone() {
        List<String> names = enqueue("q", 50);
        RecordingListener events = new RecordingListener();
        start(QueueWorker.builder(backend).queue("q").concurrency(2).claimBatch(1).ackBatch(1).ackDelay(ZERO)
                .listener(events).handler(job -> JobResult.done()));
        await().until(() -> events.acknowledged().size() == names.size());

        List<String> calls = List.copyOf(backend.log);
        assertThat(calls).filteredOn(c -> c.startsWith("claim:")).containsOnly("claim:1");
        assertThat(calls).filteredOn(c -> c.startsWith("complete:")).hasSize(names.size());
        assertThat(calls).noneMatch(c -> c.startsWith("completeAll:"));
    }

    @Test
    void eachJobOfABatchCarriesTheOneReturnTimeOfItsClaimTakenBeforeItsHandlerStarts() {
        enqueue("q", 10);
        long before = System.nanoTime();
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        start(QueueWorker.builder(backend).queue("q").concurrency(1).claimBatch(10).handler(job -> {
            seen.put(job.id(), new long[] {job.claimReturnedNanos(), System.nanoTime()});
            return JobResult.done();
        }));
        await().until(() -> seen.size() == 10);

        assertThat(seen.values()).allSatisfy(t -> assertThat(t[0]).isGreaterThan(before).isLessThanOrEqualTo(t[1]));
        assertThat(seen.values().stream().map(t -> t[0]).distinct()).as("one claim of ten, one return").hasSize(1);
    }

    @Test
    void batchOfNClaimsNJobsAndCompletesThemInOneCallAnnouncedBeforeIt() {
        List<String> names = enqueue("q", 50);
        RecordingListener events = new RecordingListener(backend.log::add);
        start(QueueWorker.builder(backend).queue("q").concurrency(1).claimBatch(10).ackBatch(10)
                .ackDelay(ofSeconds(1)).listener(events).handler(job -> JobResult.done()));
        await().until(() -> events.acknowledged().size() == names.size());

        List<String> calls = List.copyOf(backend.log);
        assertThat(calls).filteredOn(c -> c.startsWith("claim:")).containsOnly("claim:10");
        assertThat(calls).filteredOn(c -> c.startsWith("complete")).containsExactly(
                "completeAll:10", "completeAll:10", "completeAll:10", "completeAll:10", "completeAll:10");
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith("completeAll:")) {
                assertThat(calls.subList(i - 10, i)).as("the ten jobs of the call, announced before it")
                        .allMatch(c -> c.startsWith("acknowledging:"));
            }
        }
    }

    @Test
    void anAcknowledgementWhoseBatchNeverFillsIsSentOnceItsDelayIsOver() {
        enqueue("q", 1);
        RecordingListener events = new RecordingListener(backend.log::add);
        start(QueueWorker.builder(backend).queue("q").ackBatch(64).ackDelay(ofMillis(50)).listener(events)
                .handler(job -> JobResult.done()));

        await().until(() -> events.acknowledged().size() == 1);
        assertThat(backend.log).containsSubsequence("acknowledging:job-0", "complete:job-0");
    }

    @Test
    void handlersRunOnVirtualThreadsWhenAskedAndOnPlatformDaemonsOtherwise() {
        enqueue("virtual", 1);
        enqueue("platform", 1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        start(QueueWorker.builder(backend).queue("virtual").virtualThreads(true).handler(job -> {
            threads.add(Thread.currentThread());
            return JobResult.done();
        }));
        start(QueueWorker.builder(backend).queue("platform").handler(job -> {
            threads.add(Thread.currentThread());
            return JobResult.done();
        }));

        await().until(() -> threads.size() == 2);
        assertThat(threads).filteredOn(Thread::isVirtual).hasSize(1);
        assertThat(threads).filteredOn(t -> !t.isVirtual()).singleElement()
                .satisfies(t -> assertThat(t.isDaemon()).isTrue());
    }

    @Test
    void everyThreadOfAWorkerComesFromItsThreadFactoryWhenOneIsGiven() {
        enqueue("q", 20);
        List<Thread> made = new CopyOnWriteArrayList<>();
        List<Thread> ran = new CopyOnWriteArrayList<>();
        ThreadFactory factory = work -> {
            Thread thread = Thread.ofPlatform().name("app-" + made.size()).daemon(true).unstarted(work);
            made.add(thread);
            return thread;
        };
        RecordingListener events = new RecordingListener();
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").concurrency(3).claimBatch(4)
                .ackDelay(ofMillis(5)).extendLeaseAfter(0.5).threadFactory(factory).listener(events).handler(job -> {
                    ran.add(Thread.currentThread());
                    return JobResult.done();
                }));
        await().until(() -> events.acknowledged().size() == 20);

        assertThat(made).as("3 handler loops, the acknowledgement flusher, the heartbeat").hasSize(5);
        assertThat(ran).isNotEmpty().allMatch(made::contains);
        worker.close();
        assertThat(made).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> QueueWorker.builder(backend).queue("q").threadFactory(factory).virtualThreads(true)
                .handler(job -> JobResult.done()).start()).hasMessageStartingWith("threadFactory");
    }

    @Test
    void aListenerThatThrowsChangesNothingForTheJobs() {
        List<String> names = enqueue("q", 20);
        List<String> failing = new CopyOnWriteArrayList<>();
        RecordingListener events = new RecordingListener();
        WorkerListener throwing = new WorkerListener() {
            @Override
            public void handlerStarted(ClaimedJob job, long startNanos, Instant startedAt) {
                throw new IllegalStateException("a broken listener");
            }

            @Override
            public void acknowledging(ClaimedJob job) {
                failing.add(RecordingListener.name(job));
                throw new IllegalStateException("a broken listener");
            }

            @Override
            public void acknowledged(ClaimedJob job, boolean completed, Instant before) {
                events.acknowledged(job, completed, before);
                throw new IllegalStateException("a broken listener");
            }
        };
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").concurrency(2).claimBatch(4)
                .listener(throwing).handler(job -> JobResult.done()));

        await().until(() -> events.acknowledged().size() == names.size());
        assertThat(failing).hasSize(names.size());
        assertThat(backend.stats("q").total()).isZero();
        assertThat(worker.inFlight()).isZero();
    }

    @Test
    void aHandlerThatReturnsNullFailsItsJobSayingSo() {
        backend.enqueue("q", JobRequest.of("null".getBytes(StandardCharsets.UTF_8)).withMaxAttempts(1));
        RecordingListener events = new RecordingListener();
        start(QueueWorker.builder(backend).queue("q").listener(events).handler(job -> null));

        await().until(() -> events.count(Kind.FAILED) == 1);
        assertThat(events.of(Kind.FAILED).getFirst().outcome()).isEqualTo(FailResult.Outcome.DEAD);
        assertThat(backend.deadLetters("q", 1).getFirst().lastError()).contains("returned null");
    }

    @Test
    void inFlightCountsHeldJobsAndItsGaugeIsRemovedOnClose() {
        enqueue("q", 3);
        CountDownLatch release = new CountDownLatch(1);
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").claimBatch(3).handler(job -> {
            release.await();
            return JobResult.done();
        }));
        await().until(() -> worker.inFlight() == 3);
        assertThat(worker.meterRegistry().get(WorkerMeters.IN_FLIGHT).tag("queue", "q").tag("backend", "memory")
                .gauge().value()).isEqualTo(3);

        release.countDown();
        worker.close();
        assertThat(worker.inFlight()).isZero();
        assertThat(worker.meterRegistry().find(WorkerMeters.IN_FLIGHT).gauge()).isNull();
    }

    @Test
    void claimAheadTakesTheNextBatchWhileTheLastJobOfTheBatchRuns() {
        List<String> names = enqueue("q", 5);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").claimBatch(2).claimAhead(true)
                .handler(job -> {
                    ran.add(new String(job.payload(), StandardCharsets.UTF_8));
                    if (ran.size() == 2) {
                        release.await(); // the batch's last job: the next batch is claimed meanwhile
                    }
                    return JobResult.done();
                }));
        await().until(() -> worker.inFlight() == 3);
        assertThat(backend.stats("q").leased()).as("the running job and the batch claimed ahead").isEqualTo(3);

        release.countDown();
        await().until(() -> backend.stats("q").leased() == 0 && backend.stats("q").ready() == 0);
        assertThat(ran).containsExactlyElementsOf(names);
    }

    @Test
    void withClaimAheadTheNextJobRunsWhileTheLastOnesCompleteIsStillOnItsWayAndCloseWaitsForIt() {
        List<String> names = enqueue("q", 3);
        backend.completeGate = new CountDownLatch(1);
        RecordingListener events = new RecordingListener();
        List<String> ran = new CopyOnWriteArrayList<>();
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").claimAhead(true).ackBatch(1)
                .ackDelay(ZERO).listener(events).handler(job -> {
                    ran.add(new String(job.payload(), StandardCharsets.UTF_8));
                    return JobResult.done();
                }));

        await().until(() -> ran.size() == 2);
        assertThat(backend.log).as("the first job's complete was sent and has not returned")
                .contains("complete:job-0");
        assertThat(events.acknowledged()).isEmpty();
        backend.completeGate.countDown();
        await().until(() -> events.acknowledged().size() == names.size());
        worker.close();
        assertThat(events.acknowledged()).containsExactlyElementsOf(names);
        assertThat(backend.log).filteredOn(c -> c.startsWith("complete")).containsExactly(
                "complete:job-0", "complete:job-1", "complete:job-2");
    }

    @Test
    void withClaimAheadEachLoopSendsItsRoundTripsOnOneThreadOfItsFactoryThatCloseEnds() {
        enqueue("q", 40);
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = work -> {
            Thread thread = Thread.ofPlatform().name("app-" + made.size()).daemon(true).unstarted(work);
            made.add(thread);
            return thread;
        };
        RecordingListener events = new RecordingListener();
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").concurrency(2).claimAhead(true)
                .ackBatch(1).ackDelay(ZERO).withoutLeaseExtension().threadFactory(factory).listener(events)
                .handler(job -> JobResult.done()));
        await().until(() -> events.acknowledged().size() == 40);
        worker.close();

        assertThat(made).as("2 handler loops and at most one thread of round trips each, for 40 claims ahead")
                .hasSizeBetween(3, 4);
        assertThat(made).noneMatch(Thread::isAlive);
    }

    @Test
    void withoutClaimAheadALoopHoldsOnlyItsBatch() {
        enqueue("q", 5);
        CountDownLatch release = new CountDownLatch(1);
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").claimBatch(2).handler(job -> {
            release.await();
            return JobResult.done();
        }));
        await().until(() -> worker.inFlight() == 2);
        await().during(ofMillis(300)).atMost(ofSeconds(2)).until(() -> backend.stats("q").leased() == 2);
        release.countDown();
    }

    @Test
    void jobsClaimedAheadHaveTheirLeasesExtendedWhileTheyWait() {
        enqueue("q", 2);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Boolean> lost = new CopyOnWriteArrayList<>();
        start(QueueWorker.builder(backend).queue("q").claimBatch(1).claimAhead(true).lease(ofMillis(400))
                .extendLeaseAfter(0.5).handler(job -> {
                    attempts.add(job.attempt());
                    if (attempts.size() == 1) {
                        new CountDownLatch(1).await(1200, TimeUnit.MILLISECONDS); // three leases long
                    }
                    lost.add(job.leaseLost());
                    return JobResult.done();
                }));
        await().atMost(ofSeconds(10)).until(() -> attempts.size() == 2 && backend.stats("q").leased() == 0
                && backend.stats("q").ready() == 0);
        assertThat(attempts).as("the job claimed ahead waited three leases and was not redelivered")
                .containsExactly(1, 1);
        assertThat(lost).containsExactly(false, false);
    }

    @Test
    void aSecondCloseReturnsAtOnceEvenWhileTheFirstIsStillDraining() throws Exception {
        enqueue("q", 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener events = new RecordingListener();
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").listener(events).handler(job -> {
            started.countDown();
            release.await();
            return JobResult.done();
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread firstClose = Thread.ofPlatform().start(worker::close);
        await().until(() -> firstClose.getState() == Thread.State.TIMED_WAITING);

        worker.close();

        assertThat(firstClose.isAlive()).as("the first close still drains").isTrue();
        release.countDown();
        firstClose.join();
        assertThat(events.acknowledged()).containsExactly("job-0");
    }

    @Test
    void closingTheBackendFirstEndsTheLoops() {
        Set<Thread> before = workerThreads();
        QueueWorker worker = start(QueueWorker.builder(backend).queue("q").concurrency(3).claimWait(ofMillis(50))
                .handler(job -> JobResult.done()));
        assertThat(workerThreads()).hasSizeGreaterThan(before.size());
        backend.close();

        worker.close();

        assertThat(workerThreads()).isSubsetOf(before);
    }

    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("queuebench-worker-"))
                .collect(Collectors.toSet());
    }

    private QueueWorker start(QueueWorker.Builder builder) {
        QueueWorker worker = builder.start();
        workers.add(worker);
        return worker;
    }

    private List<String> enqueue(String queue, int count) {
        List<String> names = IntStream.range(0, count).mapToObj(i -> "job-" + i).toList();
        backend.enqueueAll(queue, names.stream().map(n -> JobRequest.of(n.getBytes(StandardCharsets.UTF_8))).toList());
        return names;
    }
}
