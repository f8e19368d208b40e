package dev.queuebench.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueMetrics;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock errors: none with one writer connection, retried and counted with several or another connection, clear when
 * they outlast the wait; and conflicts of the optimistic strategy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LockingTest {
    private static final Duration LEASE = Duration.ofMinutes(1);

    @TempDir
    Path folder;

    @Test
    void tenWorkersWithImmediateClaimsMeetNoLockError() throws Exception {
        BackendConfig config = config().with(SqliteConfig.BUSY_TIMEOUT, "5s");
        try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
            assertThat(backend.strategy()).isEqualTo("immediate");

            drainWithTenWorkers(backend, enqueue(backend, 5000));

            assertThat(lockErrors(config)).isZero();
        }
    }

    @Test
    void severalWriterConnectionsWaitForEachOtherAndCountTheLocksTheyMet() throws Exception {
        BackendConfig config =
                config().with(SqliteConfig.WRITER_CONNECTIONS, "4").with(SqliteConfig.BUSY_TIMEOUT, "10s");
        try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
            drainWithTenWorkers(backend, enqueue(backend, 5000));

            assertThat(lockErrors(config)).as("locks met and retried by the busy handler").isPositive();
        }
    }

    @Test
    void lockHeldPastTheBusyTimeoutFailsClearlyAndWritesNothing() throws Exception {
        BackendConfig config = config().with(SqliteConfig.BUSY_TIMEOUT, "200ms");
        try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config);
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("locks.db"));
                Statement holder = other.createStatement()) {
            holder.execute("BEGIN IMMEDIATE");
            List<JobRequest> batch = List.of(JobRequest.of(new byte[] {1}), JobRequest.of(new byte[] {2}));

            assertThatThrownBy(() -> backend.enqueueAll("q", batch))
                    .isInstanceOf(QueueException.class)
                    .hasMessageContaining("busyTimeout (200 ms)")
                    .hasMessageContaining("nothing was written")
                    .hasMessageContaining(folder.resolve("locks.db").toString());
            holder.execute("ROLLBACK");

            assertThat(lockErrors(config)).isEqualTo(1);
            assertThat(backend.stats("q").total()).isZero();
            assertThat(backend.enqueueAll("q", batch)).hasSize(2);
        }
    }

    @Test
    void eitherStrategyTimesTheClaimThatLeasedAJobAndNotTheEmptyOne() {
        for (String strategy : List.of("immediate", "optimistic")) {
            BackendConfig config = config().with("strategy", strategy);
            try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
                backend.enqueue(strategy, JobRequest.of(new byte[] {1}));
                assertThat(backend.claim(strategy, 1, LEASE, Duration.ZERO)).hasSize(1);
                assertThat(backend.claim(strategy, 1, LEASE, Duration.ZERO)).isEmpty();

                assertThat(config.meterRegistry().get(QueueMetrics.CLAIM_STATEMENT).timer().count()).as(strategy)
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void optimisticClaimWhoseCandidateIsTakenMeanwhileCountsAConflictAndTheLockItWaitedFor() throws Exception {
        BackendConfig config = config().with("strategy", "optimistic");
        try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config);
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("locks.db"));
                Statement rival = other.createStatement()) {
            String id = backend.enqueue("q", JobRequest.of(new byte[] {1}));
            rival.execute("BEGIN IMMEDIATE");
            CompletableFuture<List<ClaimedJob>> claim =
                    CompletableFuture.supplyAsync(() -> backend.claim("q", 1, LEASE, Duration.ZERO));
            await().atMost(Duration.ofSeconds(10)).until(() -> lockErrors(config) == 1); // read done, update waiting

            rival.execute("UPDATE jobs SET state = 1, lease_token = 7, lease_expires_at = 9e15 WHERE id = " + id);
            rival.execute("COMMIT");

            assertThat(claim.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(count(config, QueueMetrics.CLAIM_CONFLICTS)).isEqualTo(1);
            assertThat(lockErrors(config)).isEqualTo(1);
        }
    }

    private BackendConfig config() {
        return BackendConfig.empty().with(SqliteConfig.PATH, folder.resolve("locks.db").toString());
    }

    private static List<String> enqueue(QueueBackend backend, int jobs) {
        return backend.enqueueAll("q", IntStream.range(0, jobs).mapToObj(i -> JobRequest.of(new byte[8])).toList());
    }

    /** Ten threads, half claiming one job at a time and half ten, drain the queue; any exception fails. */
    private static void drainWithTenWorkers(QueueBackend backend, List<String> enqueued) throws Exception {
        Set<String> done = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 10; w++) {
                int batch = w % 2 == 0 ? 1 : 10;
                workers.add(pool.submit(() -> {
                    List<ClaimedJob> claimed;
                    while (!(claimed = backend.claim("q", batch, LEASE, Duration.ofMillis(200))).isEmpty()) {
                        if (batch == 1) {
                            assertThat(backend.complete(claimed.getFirst())).isTrue();
                        } else {
                            assertThat(backend.completeAll(claimed)).containsOnly(true);
                        }
                        claimed.forEach(job -> assertThat(done.add(job.id())).as("first delivery").isTrue());
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(done).containsExactlyInAnyOrderElementsOf(enqueued);
    }

    private static double lockErrors(BackendConfig config) {
        return count(config, QueueMetrics.LOCK_ERRORS);
    }

    private static double count(BackendConfig config, String counter) {
        return config.meterRegistry().find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }
}
