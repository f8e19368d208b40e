package dev.queuebench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worker JVMs against a SQLite file: their reports reach this process's ledger, and they end with their stdin. */
class WorkerProcessesTest {
    private static final String QUEUE = "qb_workers";

    @TempDir
    Path folder;

    private static List<JobRequest> payloads(int count) {
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(JobRequest.of(new Payload(System.nanoTime(), Payload.Behaviour.SUCCEED).encode(16)));
        }
        return jobs;
    }

    /** Jobs the backend still holds in any state but dead. */
    private static long left(QueueBackend backend) {
        QueueStats stats = backend.stats(QUEUE);
        return stats.ready() + stats.scheduled() + stats.leased();
    }

    @Test
    void everyJobAWorkerProcessCompletesReachesTheLedgerAndTheWorkersEndWhenTheirStdinCloses() {
        BackendConfig config = BackendConfig.of(Map.of("path", folder.resolve("workers.db").toString()));
        RunOptions options = RunOptions.parse(Map.of("backend", "sqlite"), Map.of());
        try (QueueBackend backend = QueueBackends.open("sqlite", config);
                Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false,
                        1000)) {
            BackendUnderTest target = new BackendUnderTest(backend, new CompositeMeterRegistry(), options, progress,
                    "test", config);
            Ledger ledger = new Ledger();
            List<JobRequest> jobs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                jobs.add(JobRequest.of(new Payload(System.nanoTime(), Payload.Behaviour.SUCCEED).encode(16)));
            }
            ledger.enqueued(QUEUE, backend.enqueueAll(QUEUE, jobs));
            List<Long> pids = new ArrayList<>();

            try (WorkerProcesses workers = WorkerProcesses.consume(target, List.of(QUEUE), 2, 2, 8, Task.NOOP,
                    Duration.ofSeconds(30), new WorkerPool.LocalEvents(ledger, new LatencyRecorder(), progress))) {
                pids.add(workers.pid(0));
                pids.add(workers.pid(1));
                await().atMost(Duration.ofSeconds(60)).until(() -> ledger.settledCount() == 200);
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
        BackendConfig config = BackendConfig.of(Map.of("path", folder.resolve("killed.db").toString()));
        RunOptions options = RunOptions.parse(Map.of("backend", "sqlite"), Map.of());
        try (QueueBackend backend = QueueBackends.open("sqlite", config);
                Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false,
                        1000)) {
            BackendUnderTest target = new BackendUnderTest(backend, new CompositeMeterRegistry(), options, progress,
                    "test", config);
            Ledger ledger = new Ledger();
            CountDownLatch gate = new CountDownLatch(1);

            try (WorkerProcesses workers = WorkerProcesses.consume(target, List.of(QUEUE), 1, 1, 1, Task.NOOP,
                    Duration.ofSeconds(30), new WorkerPool.LocalEvents(ledger, new LatencyRecorder(), progress),
                    index -> gate.await())) {
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
}
