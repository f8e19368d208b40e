package dev.queuebench.suite.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.FaultyBackends;
import dev.queuebench.suite.workers.ConsumerReports;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workers.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Completes whose answer never came, looked for job by job in the backend (the memory backend under decorators that
 * lose an answer or drop a job): only a job whose complete was sent and that is gone is completed_unconfirmed.
 */
class UnansweredCompletesTest {
    private static final String QUEUE = "qb_unanswered";
    /**
     * The consumers' lease: long enough that no stall of a loaded machine lets one expire where a test does not mean
     * it to (a 1 s lease once expired between a claim and the pool's close, and the job ran a second attempt); each
     * test waits for one lease to end, for a redelivery or for the look into the backend.
     */
    private static final Duration LEASE = Duration.ofSeconds(5);

    @RegisterExtension
    final ConsumerReports reports = new ConsumerReports();
    private final Ledger ledger = reports.ledger();
    private final WorkerPool.LocalEvents events = reports.events();

    /**
     * The first job handed out is dropped by the backend (its complete is refused); the second one's complete
     * commits and then throws (its answer is lost). Both are gone from the backend: one is lost, one unconfirmed.
     */
    @Test
    void aJobTheBackendDroppedIsLostWhileOneWhoseAnswerWasLostIsCompletedUnconfirmed() {
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger completes = new AtomicInteger();
        QueueBackend backend = new FaultyBackends.Forwarding("memory", BackendConfig.empty()) {
            @Override
            public List<ClaimedJob> claim(String queue, int maxJobs, Duration lease, Duration wait) {
                List<ClaimedJob> claimed = delegate.claim(queue, maxJobs, lease, wait);
                if (!claimed.isEmpty() && claims.incrementAndGet() == 1) {
                    delegate.complete(claimed.getFirst()); // dropped: gone, though nobody asked to complete it
                }
                return claimed;
            }

            @Override
            public boolean complete(ClaimedJob job) {
                boolean completed = delegate.complete(job);
                if (completes.incrementAndGet() == 2) {
                    throw new IllegalStateException("connection reset after the commit");
                }
                return completed;
            }
        };
        List<String> ids = backend.enqueueAll(QUEUE, ConsumerReports.payloads(20));
        ledger.enqueued(QUEUE, ids);

        try (WorkerPool pool = new WorkerPool(backend, List.of(QUEUE), 1, 1, Task.NOOP, false, LEASE, events)) {
            Drain.awaitDrained(backend, List.of(QUEUE), ledger);
        }
        Ledger.Verdict verdict = Drain.verdict(backend, List.of(QUEUE), ledger, LEASE);

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.lostFates()).singleElement().satisfies(fate -> {
            assertThat(fate.job()).isEqualTo(QUEUE + "/" + ids.get(0));
            assertThat(fate.evidence()).isEqualTo("attempt 1: complete answered false (refused)");
        });
        assertThat(verdict.unconfirmed()).singleElement().satisfies(fate -> {
            assertThat(fate.job()).isEqualTo(QUEUE + "/" + ids.get(1));
            assertThat(fate.evidence()).contains("after its lease had ended", "claiming the queue empty did not"
                    + " return it", "dead letter(s) do not list it", "no ready, scheduled or other leased job");
        });
        assertThat(verdict.completed()).isEqualTo(19);
    }

    @Test
    void aCompleteThatNeverReachedTheBackendIsRedeliveredAndCompletedNotUnconfirmed() {
        AtomicInteger completes = new AtomicInteger();
        QueueBackend backend = new FaultyBackends.Forwarding("memory", BackendConfig.empty()) {
            @Override
            public boolean complete(ClaimedJob job) {
                if (completes.incrementAndGet() == 1) {
                    throw new IllegalStateException("connection refused before the call was sent");
                }
                return delegate.complete(job);
            }
        };
        ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, ConsumerReports.payloads(20)));

        try (WorkerPool pool = new WorkerPool(backend, List.of(QUEUE), 2, 1, Task.NOOP, false, LEASE, events)) {
            Drain.awaitDrained(backend, List.of(QUEUE), ledger);
        }
        Ledger.Verdict verdict = Drain.verdict(backend, List.of(QUEUE), ledger, LEASE);

        assertThat(verdict.lost()).isZero();
        assertThat(verdict.completed()).isEqualTo(20);
        assertThat(verdict.unconfirmed()).isEmpty();
        assertThat(verdict.duplicated()).isZero();
        assertThat(ledger.redeliveredCount()).isEqualTo(1);
    }

    /** The consumers stop before the job comes back: the look finds it still in the backend, and it stays lost. */
    @Test
    void aJobStillInTheBackendWhenTheConsumersStoppedStaysLostWithWhereItWasFound() {
        QueueBackend backend = new FaultyBackends.Forwarding("memory", BackendConfig.empty()) {
            @Override
            public boolean complete(ClaimedJob job) {
                throw new IllegalStateException("connection refused before the call was sent");
            }
        };
        ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, ConsumerReports.payloads(1)));
        try (WorkerPool pool = new WorkerPool(backend, List.of(QUEUE), 1, 1, Task.NOOP, false, LEASE, events)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !ledger.unansweredCompletes().isEmpty());
        }

        Ledger.Verdict verdict = Drain.verdict(backend, List.of(QUEUE), ledger, LEASE);

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.unconfirmed()).isEmpty();
        assertThat(verdict.lostFates()).singleElement().extracting(Ledger.JobFate::evidence).asString()
                .startsWith("attempt 1: complete sent, no answer; still in the backend at")
                .endsWith("claiming the queue returned it, so its complete did not take effect");
    }
}
