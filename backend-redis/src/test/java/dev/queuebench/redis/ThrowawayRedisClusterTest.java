package dev.queuebench.redis;

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
import dev.queuebench.testsupport.TestServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real 3-primary Redis Cluster with a replica each ({@link ThrowawayRedisCluster}), the backend a cluster client:
 * when the primary holding a queue is SIGKILLed, the cluster promotes its replica and the backend follows it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrowawayRedisClusterTest {
    private static final int JOBS = 20;

    @Test
    void replicatedJobsAreClaimableAfterTheirPrimaryIsKilledAndItsReplicaPromoted() {
        String unavailable = ThrowawayRedis.unavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway Redis Cluster can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        try (ThrowawayRedisCluster cluster = ThrowawayRedisCluster.start(ThrowawayRedisCluster.CLUSTER);
                QueueBackend backend = QueueBackends.open(RedisBackendProvider.NAME, config(cluster))) {
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                kept.add(backend.enqueue("failover", JobRequest.of(new byte[] {(byte) i})));
            }
            cluster.awaitReplicasCaughtUp();
            String killed = cluster.killLeader();
            assertThat(killed).as("the primary holding the queue's keys is the one killed").contains("keys (");
            String promoted = cluster.promote();
            assertThat(promoted).contains("promoted the replica");

            List<ClaimedJob> after = await().atMost(ofSeconds(30)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("failover", JOBS, ofSeconds(30), ZERO), got -> got.size() == JOBS);
            assertThat(after).extracting(ClaimedJob::id).containsExactlyInAnyOrderElementsOf(kept);
            assertThat(backend.completeAll(after)).containsOnly(true);
        }
    }

    private static BackendConfig config(ThrowawayRedisCluster cluster) {
        Map<String, String> values = new HashMap<>(cluster.config());
        values.put(RedisConfig.PREFIX.name(), "qb_cluster_failover_test");
        return BackendConfig.of(values);
    }
}
