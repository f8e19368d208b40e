package dev.queuebench.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The WAL file and the footprint that reports it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WalTest {
    private static final int PAYLOAD_BYTES = 64 << 10;
    private static final int BATCH = 20;

    @TempDir
    Path folder;

    @Test
    void walStaysBoundedWhileFarMoreThanItsLimitFlowsThrough() throws Exception {
        BackendConfig config = BackendConfig.empty().with(SqliteConfig.PATH, folder.resolve("wal.db").toString());
        try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
            long toWrite = 4 * Connections.WAL_LIMIT_BYTES;
            long batches = toWrite / ((long) PAYLOAD_BYTES * BATCH);
            List<JobRequest> batch = Collections.nCopies(BATCH, JobRequest.of(new byte[PAYLOAD_BYTES]));
            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (long i = 0; i < batches; i++) {
                    backend.enqueueAll("wal", batch);
                }
            });
            CompletableFuture<Void> statsReader = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    backend.stats("wal"); // readers inside the WAL are what can keep a checkpoint from resetting it
                }
            });

            long completed = 0;
            long largestWal = 0;
            while (completed < batches * BATCH) {
                List<ClaimedJob> claimed = backend.claim("wal", BATCH, Duration.ofMinutes(1), Duration.ofSeconds(5));
                assertThat(backend.completeAll(claimed)).containsOnly(true);
                completed += claimed.size();
                largestWal = Math.max(largestWal, backend.footprint().figures().get("wal_bytes"));
            }
            running.set(false);
            producer.get(10, TimeUnit.SECONDS);
            statsReader.get(10, TimeUnit.SECONDS);

            assertThat(completed * PAYLOAD_BYTES).isGreaterThanOrEqualTo(3 * Connections.WAL_LIMIT_BYTES);
            assertThat(largestWal).as("largest WAL seen").isLessThan(2 * Connections.WAL_LIMIT_BYTES);
            assertThat(backend.footprint().figures())
                    .containsKeys("database_bytes", "wal_bytes", "page_count", "freelist_pages")
                    .hasEntrySatisfying("database_bytes", bytes -> assertThat(bytes).isPositive());
        }
    }
}
