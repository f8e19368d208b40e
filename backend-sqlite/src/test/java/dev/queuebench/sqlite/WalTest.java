package dev.queuebench.sqlite;

import static dev.queuebench.sqlite.Connections.JOURNAL_SIZE_LIMIT_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The WAL file stays bounded, and the footprint reports it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WalTest {
    private static final int PAYLOAD_BYTES = 64 << 10;
    private static final int BATCH = 20;
    private static final List<JobRequest> JOBS = Collections.nCopies(BATCH, JobRequest.of(new byte[PAYLOAD_BYTES]));

    @TempDir
    Path folder;

    @Test
    void walStaysBoundedWhileFarMoreThanItsLimitFlowsThrough() throws Exception {
        try (QueueBackend backend = open()) {
            long batches = 16 * JOURNAL_SIZE_LIMIT_BYTES / ((long) PAYLOAD_BYTES * BATCH);
            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (long i = 0; i < batches; i++) {
                    backend.enqueueAll("wal", JOBS);
                }
            });
            CompletableFuture<Void> statsReader = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    backend.stats("wal"); // readers in the WAL are what can keep a checkpoint from completing
                }
            });

            long completed = 0;
            long largestWal = 0;
            while (completed < batches * BATCH) {
                List<ClaimedJob> claimed = backend.claim("wal", BATCH, Duration.ofMinutes(1), Duration.ofSeconds(5));
                assertThat(backend.completeAll(claimed)).containsOnly(true);
                completed += claimed.size();
                largestWal = Math.max(largestWal, walBytes(backend));
            }
            running.set(false);
            producer.get(10, TimeUnit.SECONDS);
            statsReader.get(10, TimeUnit.SECONDS);

            assertThat(completed * PAYLOAD_BYTES).isGreaterThanOrEqualTo(15 * JOURNAL_SIZE_LIMIT_BYTES);
            assertThat(largestWal).as("largest WAL seen").isLessThan(4 * JOURNAL_SIZE_LIMIT_BYTES);
        }
    }

    @Test
    void walGrownBehindAnOldReaderShrinksBackOnceItLetsGo() throws Exception {
        try (QueueBackend backend = open();
                Connection reader = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("wal.db"));
                Statement snapshot = reader.createStatement()) {
            snapshot.execute("BEGIN");
            snapshot.executeQuery("SELECT count(*) FROM jobs").close(); // holds its snapshot until COMMIT
            while (walBytes(backend) < 3 * JOURNAL_SIZE_LIMIT_BYTES) {
                backend.enqueueAll("wal", JOBS);
                assertThat(backend.completeAll(backend.claim("wal", BATCH, Duration.ofMinutes(1), Duration.ZERO)))
                        .containsOnly(true);
            }

            snapshot.execute("COMMIT");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                backend.enqueue("wal", JobRequest.of(new byte[16])); // enqueues alone must let the WAL checkpoint
                assertThat(walBytes(backend)).isLessThanOrEqualTo(JOURNAL_SIZE_LIMIT_BYTES);
            });
            assertThat(backend.footprint().figures())
                    .containsKeys("database_bytes", "wal_bytes", "page_size_bytes", "page_count", "freelist_pages")
                    .hasEntrySatisfying("database_bytes", bytes -> assertThat(bytes).isPositive());
            Map<String, Long> figures = backend.footprint().figures();
            assertThat(figures).containsEntry("stored_bytes", figures.get("database_bytes") + figures.get("wal_bytes"));
        }
    }

    private QueueBackend open() {
        return QueueBackends.open(SqliteBackendProvider.NAME,
                BackendConfig.empty().with(SqliteConfig.PATH, folder.resolve("wal.db").toString()));
    }

    private static long walBytes(QueueBackend backend) {
        return backend.footprint().figures().get("wal_bytes");
    }
}
