package dev.queuebench.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.testsupport.TestServers;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole contract, default strategy, against a throwaway three-node NATS cluster ({@link ThrowawayNatsCluster})
 * with R3 streams, reached as production reaches it: every node's URL, {@code replicas=3}.
 */
class NatsClusterTckTest extends QueueBackendTck {
    private ThrowawayNatsCluster cluster;

    @BeforeAll
    void startCluster() {
        String unavailable = BackendFaults.of(NatsBackendProvider.NAME).orElseThrow().clusterUnavailableReason()
                .orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway NATS cluster can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        cluster = ThrowawayNatsCluster.start(ThrowawayNatsCluster.R3);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected QueueBackendProvider provider() {
        return new NatsBackendProvider();
    }

    @Override
    protected Stream<String> strategies() {
        return Stream.of(provider().strategies().getFirst());
    }

    @Override
    protected BackendConfig baseConfig() {
        Map<String, String> values = new HashMap<>(cluster.config());
        values.put(NatsConfig.PREFIX.name(), "qbtckr3");
        return BackendConfig.of(values);
    }
}
