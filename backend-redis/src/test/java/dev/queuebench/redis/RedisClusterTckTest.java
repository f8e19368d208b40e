package dev.queuebench.redis;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole contract, for both strategies, against a 3-node Redis Cluster this class starts and stops. */
class RedisClusterTckTest extends QueueBackendTck {
    private LocalRedisServers cluster;

    @BeforeAll
    void startCluster() {
        cluster = LocalRedisServers.cluster(3);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Queues hash to different nodes; a PUBLISH in a script on any node reaches the subscriber on another. */
    @Test
    void waitingClaimsAreWokenWhateverNodeHoldsTheirQueue() throws Exception {
        try (QueueBackend q = provider().create(baseConfig().with("pollInterval", "30s"))) {
            for (String queue : List.of("wake-a", "wake-b", "wake-c", "wake-d")) {
                CompletableFuture<List<ClaimedJob>> waiting = CompletableFuture.supplyAsync(
                        () -> q.claim(queue, 1, ofSeconds(60), ofSeconds(40)));
                await().atMost(ofSeconds(10)).until(() -> cluster.subscribers("{qbtck:" + queue + "}:wake") > 0);

                String id = q.enqueue(queue, JobRequest.of(new byte[] {1}));

                assertThat(waiting.get(20, TimeUnit.SECONDS)).extracting(ClaimedJob::id).containsExactly(id);
                q.purge(queue);
            }
        }
    }

    @Test
    void scriptsAreLoadedAgainOnEveryNodeAfterScriptFlush() {
        try (QueueBackend q = provider().create(baseConfig())) {
            List<String> queues = List.of("flush-a", "flush-b", "flush-c", "flush-d");
            queues.forEach(queue -> q.enqueue(queue, JobRequest.of(new byte[] {1})));

            cluster.flushScripts();

            for (String queue : queues) {
                q.enqueue(queue, JobRequest.of(new byte[] {2}));
                assertThat(q.completeAll(q.claim(queue, 2, ofSeconds(60), ofSeconds(0)))).containsExactly(true, true);
                q.purge(queue);
            }
        }
    }

    @Test
    void footprintCountsTheKeysOnEveryNode() {
        try (QueueBackend q = provider().create(baseConfig().with("prefix", "qbfootprint"))) {
            List<String> queues = List.of("flush-a", "flush-b", "flush-c", "flush-d"); // on all three nodes
            queues.forEach(queue -> q.enqueue(queue, JobRequest.of(new byte[] {1})));

            // per queue: the job hash, the ready set, the id counter
            assertThat(q.footprint().figures()).containsEntry("keys", 12L);
            assertThat(q.footprint().figures().get("used_memory_bytes"))
                    .as("the sum over three primaries")
                    .isGreaterThan(2 * cluster.usedMemory(cluster.ports().getFirst()));
            queues.forEach(q::purge);
        }
    }

    @Test
    void clusterNodeOpenedAsStandaloneIsRejectedNamingTheClusterKey() {
        assertThatThrownBy(() -> provider().create(baseConfig().with("cluster", "false")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'cluster'");
    }

    @Override
    protected QueueBackendProvider provider() {
        return new RedisBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", cluster.url(), "cluster", "true", "prefix", "qbtck"));
    }
}
