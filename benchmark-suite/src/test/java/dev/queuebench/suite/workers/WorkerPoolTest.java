package dev.queuebench.suite.workers;

import static dev.queuebench.suite.workers.ConsumerReports.payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.FaultyBackends;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The consumer threads' reports: in what order they are sent, and that none is missed when a thread is interrupted. */
public class WorkerPoolTest {
    private static final String QUEUE = "qb_pool";
    private static final Duration LEASE = Duration.ofSeconds(1);

    @RegisterExtension
    final ConsumerReports reports = new ConsumerReports();
    private final Ledger ledger = reports.ledger();
    private final WorkerPool.LocalEvents events = reports.events();

    /** The order {@link WorkerProcessMain}'s protocol states: R, then A before the backend's complete, then C. */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 4})
    void aWorkerAnnouncesEachCompleteBeforeItCallsTheBackend(int batch) {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        QueueBackend recording = new FaultyBackends.Forwarding("memory", BackendConfig.empty()) {
            @Override
            public boolean complete(ClaimedJob job) {
                order.add("call " + job.id());
                return delegate.complete(job);
            }

            @Override
            public List<Boolean> completeAll(List<ClaimedJob> jobs) {
                jobs.forEach(job -> order.add("call " + job.id()));
                return delegate.completeAll(jobs);
            }
        };
        WorkerPool.Events recorder = new WorkerPool.Events() {
            @Override public void started(ClaimedJob job, Payload payload, long startNanos, Instant startedAt) {
                order.add("R " + job.id());
            }
            @Override public void released(ClaimedJob job, Instant before) { order.add("F " + job.id()); }
            @Override public void completing(ClaimedJob job) { order.add("A " + job.id()); }
            @Override public void completed(ClaimedJob job) { order.add("C " + job.id()); }
            @Override public void refused(ClaimedJob job) { order.add("K " + job.id()); }
            @Override public void dead(ClaimedJob job) { order.add("D " + job.id()); }
        };
        List<String> ids = recording.enqueueAll(QUEUE, payloads(40));

        try (WorkerPool pool = new WorkerPool(recording, List.of(QUEUE), 2, batch, Task.NOOP, false, LEASE,
                recorder)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> order.stream().filter(e -> e.startsWith("C ")).count()
                    == ids.size());
        }

        List<String> events = List.copyOf(order);
        assertThat(ids).allSatisfy(id -> assertThat(List.of(events.indexOf("R " + id), events.indexOf("A " + id),
                events.indexOf("call " + id), events.indexOf("C " + id))).as(id).doesNotContain(-1).isSorted());
    }

    /**
     * A worker interrupted while it waits for a complete's answer (the call then throws, as Lettuce does, though the
     * command ran) reports it once and goes on; the job whose answer was lost is found gone, not lost.
     */
    @Test
    void aCompleteInterruptedMidCallIsReportedOnceAndItsJobIsNotLost() {
        AtomicBoolean interrupted = new AtomicBoolean();
        QueueBackend backend = new FaultyBackends.Forwarding("memory", BackendConfig.empty()) {
            @Override
            public boolean complete(ClaimedJob job) {
                boolean completed = delegate.complete(job);
                if (interrupted.compareAndSet(false, true)) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the answer");
                }
                return completed;
            }
        };
        ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, payloads(20)));

        WorkerPool pool = new WorkerPool(backend, List.of(QUEUE), 2, 1, Task.NOOP, false, LEASE, events);
        try (pool) {
            Drain.awaitDrained(backend, List.of(QUEUE), ledger);
        }
        Ledger.Verdict verdict = Drain.verdict(backend, List.of(QUEUE), ledger, LEASE);

        assertThat(verdict.lost()).isZero();
        assertThat(verdict.completed()).isEqualTo(20);
        assertThat(verdict.unconfirmed()).hasSize(1);
        assertThat(pool.errors()).as("the failed call, then its job left unsettled; no storm of errors").isEqualTo(2);
        assertThat(pool.firstError()).isEqualTo("complete threw: interrupted while waiting for the answer");
    }

    @Test
    void closeInterruptedWaitsForEveryWorkerSoNoReportArrivesAfterTheLedgerIsJudged() {
        CountDownLatch inComplete = new CountDownLatch(1);
        QueueBackend slow = new FaultyBackends.Forwarding("memory", BackendConfig.empty()) {
            @Override
            public boolean complete(ClaimedJob job) {
                inComplete.countDown();
                long end = System.nanoTime() + Duration.ofMillis(500).toNanos();
                for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                return delegate.complete(job);
            }
        };
        ledger.enqueued(QUEUE, slow.enqueueAll(QUEUE, payloads(1)));
        WorkerPool pool = new WorkerPool(slow, List.of(QUEUE), 1, 1, Task.NOOP, false, Duration.ofSeconds(30),
                events);
        await().atMost(Duration.ofSeconds(10)).until(() -> inComplete.getCount() == 0);

        Thread.currentThread().interrupt();
        pool.close();

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(ledger.check().completed()).isEqualTo(1);
    }

}
