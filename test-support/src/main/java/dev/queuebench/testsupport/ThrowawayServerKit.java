package dev.queuebench.testsupport;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos suite's fault hook on a real throwaway server of one backend: the backend survives a pause, killed
 * connections and a restart of its own server, and the server's folder is removed afterwards. A backend's test
 * extends it and names the backend; what a restart keeps follows the durability the backend declares.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class ThrowawayServerKit {
    private static final Duration LEASE = ofSeconds(60);

    /** The backend's name, as {@link BackendFaults#of} and {@link QueueBackends#open} know it. */
    protected abstract String backendName();

    /** Options laid over the throwaway server's configuration when the backend is opened; none by default. */
    protected Map<String, String> overrides() {
        return Map.of();
    }

    /**
     * Paused: a claim hangs until the server answers again, then returns the job enqueued before; returns that
     * claimed job. A backend whose calls do not all wait for a paused server overrides it with one that does.
     */
    protected ClaimedJob claimAcrossPause(ThrowawayServer server, QueueBackend backend) throws Exception {
        String first = backend.enqueue("chaos", JobRequest.of(new byte[] {1}));
        server.pause();
        CompletableFuture<List<ClaimedJob>> claim =
                CompletableFuture.supplyAsync(() -> backend.claim("chaos", 1, LEASE, ZERO));
        await().pollDelay(ofMillis(500)).until(() -> true);
        assertThat(claim).isNotDone();
        server.resume();
        ClaimedJob job = claim.get(30, TimeUnit.SECONDS).getFirst();
        assertThat(job.id()).isEqualTo(first);
        return job;
    }

    /**
     * Killed connections: at most the call on a dead connection fails, the pool then reconnects and {@code job}, the
     * lease claimed before, completes. A backend whose server ends leases with their connections overrides it.
     */
    protected void survivesKilledConnections(ThrowawayServer server, QueueBackend backend, ClaimedJob job) {
        assertThat(server.killConnections(BackendConfig.of(server.config()))).isGreaterThanOrEqualTo(1);
        await().atMost(ofSeconds(20)).ignoreExceptionsInstanceOf(QueueException.class)
                .until(() -> backend.complete(job));
    }

    /** How long the backend may take to reach its restarted server again; 30 s by default. */
    protected Duration restartWithin() {
        return ofSeconds(30);
    }

    /** The lease the kit's claims ask for: long enough never to expire within the test. */
    protected static Duration lease() {
        return LEASE;
    }

    @Test
    void backendRecoversFromPauseKilledConnectionsAndRestartOfItsOwnServer() throws Exception {
        BackendFaults faults = BackendFaults.of(backendName()).orElseThrow();
        String unavailable = faults.unavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway " + backendName() + " server can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        Path folder;
        try (ThrowawayServer server = faults.startServer();
                QueueBackend backend = QueueBackends.open(backendName(), withOverrides(server))) {
            folder = Path.of(server.describe().substring(server.describe().lastIndexOf(" in ") + 4));
            assertThat(server.processes()).isNotEmpty();
            ClaimedJob job = claimAcrossPause(server, backend);
            survivesKilledConnections(server, backend, job);

            if (keepsJobsOverRestart(backend)) {
                // Restarted: committed jobs survive (durability as declared), the pool reconnects.
                String kept = backend.enqueue("chaos", JobRequest.of(new byte[] {2}));
                server.restart();
                List<ClaimedJob> after = await().atMost(restartWithin())
                        .ignoreExceptionsInstanceOf(QueueException.class)
                        .until(() -> backend.claim("chaos", 1, LEASE, ZERO), got -> !got.isEmpty());
                assertThat(after).extracting(ClaimedJob::id).containsExactly(kept);
                assertThat(backend.completeAll(after)).containsExactly(true);
            } else {
                // Restarted: a server without persistence comes back empty, and the backend reconnects.
                server.restart();
                String after = await().atMost(restartWithin()).ignoreExceptionsInstanceOf(QueueException.class)
                        .until(() -> backend.enqueue("chaos", JobRequest.of(new byte[] {2})), id -> id != null);
                List<ClaimedJob> claimed = backend.claim("chaos", 1, LEASE, ZERO);
                assertThat(claimed).extracting(ClaimedJob::id).containsExactly(after);
            }
        }
        assertThat(Files.exists(folder)).as("the server's folder is removed").isFalse();
    }

    private BackendConfig withOverrides(ThrowawayServer server) {
        Map<String, String> values = new HashMap<>(server.config());
        values.putAll(overrides());
        return BackendConfig.of(values);
    }

    private static boolean keepsJobsOverRestart(QueueBackend backend) {
        Durability durability = backend.capabilities().durability();
        return durability == Durability.CRASH_SAFE || durability == Durability.DURABLE;
    }
}
