package dev.queuebench.suite.chaos;

import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.workers.LatencyRecorder;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workers.WorkerPool;
import dev.queuebench.suite.workers.WorkerProcesses;
import dev.queuebench.suite.workload.CaseMeters;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer-crash case (sqlite-crash, for a backend that declares {@code hasWriterCrash}): a writer process
 * enqueues batches in a loop and is SIGKILLed mid-transaction; the backend is then opened again on the same
 * configuration (the same file) and drained: every id whose enqueue returned must be there.
 */
final class WriterCrash {
    private static final String QUEUE = "qb_chaos";
    private static final int BATCH = 50;
    private static final long ACKNOWLEDGED_BEFORE_KILL = 1_000;

    private WriterCrash() {}

    /** Runs the case on {@code target}; the drain's consumers take leases of {@code lease}. */
    static CaseOutcome run(BackendUnderTest target, Duration lease) {
        String queue = target.queue(QUEUE);
        target.backend().purge(queue);
        Ledger ledger = new Ledger();
        LatencyRecorder latency = new LatencyRecorder();
        WorkerPool.LocalEvents events = new WorkerPool.LocalEvents(ledger, latency, target.progress());
        Map<String, Object> details = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (WorkerProcesses writer = WorkerProcesses.produce(target, queue, BATCH, events)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ledger.enqueuedCount() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
                LockSupport.parkNanos(5_000_000);
            }
            details.put("killed_pid", writer.pid(0));
            writer.kill(0);
        }
        details.put("acknowledged_before_kill", ledger.enqueuedCount());
        BackendUnderTest reopened = target.reopened(Map.of());
        try (CaseMeters meters = new CaseMeters(reopened.registry())) {
            long drainStart = System.nanoTime();
            WorkerPool pool = new WorkerPool(reopened.backend(), List.of(queue), target.options().singleWorkers(),
                    Scenario.DEFAULT_BATCH, Task.NOOP, false, lease, events);
            try (pool) {
                Drain.awaitDrained(reopened.backend(), List.of(queue), ledger);
            }
            long drainNanos = Math.max(1, System.nanoTime() - drainStart);
            Ledger.Verdict verdict = Drain.verdict(reopened.backend(), List.of(queue), ledger, lease);
            reopened.backend().purge(queue);
            details.put("reopened_cleanly", true);
            details.put("committed_beyond_acknowledged", verdict.completed() - (verdict.enqueued() - verdict.lost()));
            details.put("recovery_ms", (System.nanoTime() - start) / 1_000_000);
            new CaseStatus.Ran(false, null).writeTo(details, true);
            return new CaseOutcome(drainNanos / 1_000_000, verdict.completed() * 1e9 / drainNanos, verdict,
                    latency.summary(), meters.claimConflicts(), meters.claims(), meters.lockErrors(), pool.errors(),
                    pool.firstError(), meters.operations(), details, null);
        } finally {
            reopened.backend().close();
        }
    }
}
