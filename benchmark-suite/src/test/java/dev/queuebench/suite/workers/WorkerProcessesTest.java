package dev.queuebench.suite.workers;

import static dev.queuebench.suite.workers.ConsumerReports.payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueStats;
import dev.queuebench.suite.FaultyBackends;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.RunOptions;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs against a SQLite file: their reports reach this process's ledger whole, however they end (stdin
 * closed, killed, stopped by the coordinator's timeout), and they end with their stdin. Faults inside a worker come
 * from the {@code faulty-sqlite} test backend ({@link FaultyBackends.FaultySqliteBackend}).
 */
class WorkerProcessesTest {
    private static final String QUEUE = "qb_workers";
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path folder;

    @RegisterExtension
    final ConsumerReports reports = new ConsumerReports();
    private final Ledger ledger = reports.ledger();
    private final WorkerPool.LocalEvents events = reports.events();

    @Test
    void everyJobAWorkerProcessCompletesReachesTheLedgerAndTheWorkersEndWhenTheirStdinCloses() {
        try (QueueBackend backend = open("sqlite", "none")) {
            ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, payloads(200)));
            List<Long> pids = new ArrayList<>();

            try (WorkerProcesses workers = WorkerProcesses.consume(target(backend, "none"), List.of(QUEUE), 2, 2, 8,
                    Task.NOOP, Duration.ofSeconds(30), events)) {
                pids.add(workers.pid(0));
                pids.add(workers.pid(1));
                await().atMost(Duration.ofSeconds(60)).until(() -> ledger.settledCount() == 200);
                assertThat(workers.errors()).isZero();
            }

            Ledger.Verdict verdict = ledger.check();
            assertThat(verdict.completed()).isEqualTo(200);
            assertThat(verdict.lost()).isZero();
            assertThat(verdict.duplicated()).isZero();
            assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        }
    }

    /**
     * The coordinator's reader of one worker is held while that worker completes every job, so its report lines wait
     * in the pipe; then the worker is SIGKILLed and the reader let go. Every line the worker wrote before it died
     * must still reach the ledger: none of the jobs it completed may look lost.
     */
    @Test
    void reportLinesAKilledWorkerWroteBeforeItDiedAllReachTheLedger() {
        int jobs = 100;
        try (QueueBackend backend = open("sqlite", "none")) {
            CountDownLatch gate = new CountDownLatch(1);

            try (WorkerProcesses workers = WorkerProcesses.consume(target(backend, "none"), List.of(QUEUE), 1, 1, 1,
                    Task.NOOP, Duration.ofSeconds(30), events, index -> gate.await())) {
                ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, payloads(jobs)));
                await().atMost(Duration.ofSeconds(60)).until(() -> left(backend) == 0);
                assertThat(ledger.settledCount()).as("the reader is held: nothing read yet").isZero();
                long pid = workers.pid(0);
                ProcessHandle.of(pid).orElseThrow().onExit().thenRun(gate::countDown);

                workers.kill(0);

                assertThat(ProcessHandle.of(pid)).isEmpty();
            }

            Ledger.Verdict verdict = ledger.check();
            assertThat(verdict.lost()).as("jobs the killed worker completed, reported as lost").isZero();
            assertThat(verdict.completed()).isEqualTo(jobs);
        }
    }

    /**
     * The worker's first complete commits and never returns. Its announcement reaches the ledger while the worker is
     * still inside the call; the worker does not stop when its stdin closes, so the coordinator kills it after its
     * stop timeout; the job, gone from the backend, is completed_unconfirmed with that evidence.
     */
    @Test
    void aCompleteAnnouncedBeforeTheCallWhoseAnswerNeverCameIsCompletedUnconfirmedOnceFoundGone() {
        try (QueueBackend faulty = open("faulty-sqlite", "hang-after-complete");
                QueueBackend backend = open("sqlite", "none")) {
            ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, payloads(3)));
            WorkerProcesses workers = WorkerProcesses.consume(target(faulty, "hang-after-complete"), List.of(QUEUE),
                    1, 1, 1, Task.NOOP, LEASE, events);
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.unansweredCompletes().size() == 1);
            assertThat(left(backend)).as("the hanging complete committed").isEqualTo(2);

            workers.close(Duration.ofSeconds(1));

            assertThat(ProcessHandle.of(workers.pid(0))).isEmpty();
            assertThat(workers.firstError()).contains("did not stop within 1000 ms");
            drainHere(backend);
            Ledger.Verdict verdict = Drain.verdict(backend, List.of(QUEUE), ledger, LEASE);
            assertThat(verdict.lost()).isZero();
            assertThat(verdict.completed()).isEqualTo(3);
            assertThat(verdict.unconfirmed()).singleElement().satisfies(fate -> assertThat(fate.evidence())
                    .startsWith("complete of attempt 1 sent at").contains("the backend no longer had it"));
        }
    }

    /**
     * The backend drops the first job as it hands it out, so the worker's complete is refused; then the worker is
     * killed. The job is gone from the backend and its worker is dead, but its complete was answered: it is lost.
     */
    @Test
    void aJobTheBackendDroppedIsLostEvenThoughItsCompleteWasSentAndItsWorkerKilled() {
        try (QueueBackend faulty = open("faulty-sqlite", "drop-on-claim");
                QueueBackend backend = open("sqlite", "none")) {
            ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, payloads(3)));
            try (WorkerProcesses workers = WorkerProcesses.consume(target(faulty, "drop-on-claim"), List.of(QUEUE), 1,
                    1, 1, Task.NOOP, LEASE, events)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> ledger.settledCount() == 2 && workers.refusedCompletes() == 1);
                workers.kill(0);
            }

            Ledger.Verdict verdict = Drain.verdict(backend, List.of(QUEUE), ledger, LEASE);
            assertThat(left(backend)).isZero();
            assertThat(verdict.lost()).isEqualTo(1);
            assertThat(verdict.unconfirmed()).isEmpty();
            assertThat(verdict.lostFates()).singleElement().extracting(Ledger.JobFate::evidence)
                    .isEqualTo("attempt 1: complete answered false (refused)");
        }
    }

    @Test
    void aLineOutsideTheReportProtocolIsCountedAsAnErrorAndTheReaderGoesOn() {
        try (QueueBackend faulty = open("faulty-sqlite", "print-garbage")) {
            ledger.enqueued(QUEUE, faulty.enqueueAll(QUEUE, payloads(20)));
            try (WorkerProcesses workers = WorkerProcesses.consume(target(faulty, "print-garbage"), List.of(QUEUE), 1,
                    1, 4, Task.NOOP, LEASE, events)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> ledger.settledCount() == 20);
                assertThat(workers.errors()).isEqualTo(1);
                assertThat(workers.firstError()).contains("outside the report protocol",
                        "not a line of the report protocol");
            }
            assertThat(ledger.check().lost()).isZero();
        }
    }

    @Test
    void aReportThatCannotBeReadToItsEndFailsTheCaseInsteadOfEndingQuietly() {
        try (QueueBackend backend = open("sqlite", "none")) {
            WorkerProcesses workers = WorkerProcesses.consume(target(backend, "none"), List.of(QUEUE), 1, 1, 1,
                    Task.NOOP, LEASE, events, index -> {
                        throw new InterruptedException("reader stopped by the test");
                    });

            assertThatThrownBy(workers::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the report of worker process 0 (pid " + workers.pid(0) + ")")
                    .hasMessageContaining("could not be read to its end");
        }
    }

    @Test
    void underExecJavaTheClassPathComesFromTheContextClassLoadersUrls() throws Exception {
        Path classes = folder.resolve("classes");
        Path jar = folder.resolve("lib.jar");
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), jar.toUri().toURL()},
                null)) {
            thread.setContextClassLoader(loader);
            assertThat(WorkerProcesses.classPath()).isEqualTo(classes + File.pathSeparator + jar);
        } finally {
            thread.setContextClassLoader(saved);
        }
        assertThat(WorkerProcesses.classPath()).isEqualTo(System.getProperty("java.class.path"));
    }

    /** The test's SQLite file, through {@code backend} (sqlite or faulty-sqlite) with {@code fault}. */
    private QueueBackend open(String backend, String fault) {
        return QueueBackends.open(backend, config(backend, fault));
    }

    private BackendConfig config(String backend, String fault) {
        String path = folder.resolve("workers.db").toString();
        return BackendConfig.of(backend.equals("sqlite") ? Map.of("path", path) : Map.of("path", path,
                FaultyBackends.FaultySqliteBackend.FAULT.name(), fault));
    }

    /** What worker processes are started from: the backend's name and configuration. */
    private BackendUnderTest target(QueueBackend backend, String fault) {
        RunOptions options = RunOptions.parse(Map.of("backend", "sqlite"), Map.of());
        return new BackendUnderTest(backend, new CompositeMeterRegistry(), options, reports.progress(), "test",
                config(backend.name(), fault));
    }

    /** Drains what is left with a thread here, reporting into the same ledger. */
    private void drainHere(QueueBackend backend) {
        try (WorkerPool pool = new WorkerPool(backend, List.of(QUEUE), 1, 1, Task.NOOP, false, LEASE, events)) {
            Drain.awaitDrained(backend, List.of(QUEUE), ledger);
        }
    }

    /** Jobs the backend still holds in any state but dead. */
    private static long left(QueueBackend backend) {
        QueueStats stats = backend.stats(QUEUE);
        return stats.ready() + stats.scheduled() + stats.leased();
    }
}
