package dev.queuebench.nats;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real three-node NATS cluster ({@link ThrowawayNatsCluster}), the backend on its server list with R3 streams: what
 * the survivors keep when the work stream's leader is SIGKILLed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrowawayNatsClusterTest {
    @Test
    void jobEnqueuedOnR3StreamIsClaimableAfterTheStreamLeaderIsKilled() {
        BackendFaults faults = BackendFaults.of(NatsBackendProvider.NAME).orElseThrow();
        String unavailable = faults.clusterUnavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway NATS cluster can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        List<Path> folders;
        List<ProcessHandle> nodes;
        try (ThrowawayNatsCluster cluster = ThrowawayNatsCluster.start(ThrowawayNatsCluster.R3);
                QueueBackend backend = QueueBackends.open(NatsBackendProvider.NAME, config(cluster))) {
            folders = cluster.nodes().stream().map(ThrowawayNatsClusterTest::folder).toList();
            nodes = cluster.nodes().stream().map(n -> n.processes().getFirst()).toList();
            assertThat(backend.serverInfo()).containsEntry("replicas", "3");
            String kept = backend.enqueue("failover", JobRequest.of(new byte[] {7}));

            String killed = cluster.killLeader();
            assertThat(killed).contains("leader of stream qbfailover_failover");
            assertThat(nodes).as("exactly the leader's process is gone").filteredOn(ProcessHandle::isAlive)
                    .hasSize(2);
            assertThat(cluster.promote()).contains("qbfailover_failover -> ");

            List<ClaimedJob> after = await().atMost(ofSeconds(30)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("failover", 10, ofSeconds(30), ZERO), got -> !got.isEmpty());
            assertThat(after).extracting(ClaimedJob::id).containsExactly(kept);
            assertThat(backend.completeAll(after)).containsExactly(true);
        }
        assertThat(folders).as("every node's folder is removed").noneMatch(Files::exists);
        assertThat(nodes).as("every node is gone").noneMatch(ProcessHandle::isAlive);
    }

    private static BackendConfig config(ThrowawayNatsCluster cluster) {
        Map<String, String> values = new HashMap<>(cluster.config());
        values.put(NatsConfig.PREFIX.name(), "qbfailover");
        return BackendConfig.of(values);
    }

    private static Path folder(ThrowawayNats node) {
        return Path.of(node.describe().substring(node.describe().lastIndexOf(" in ") + 4));
    }
}
