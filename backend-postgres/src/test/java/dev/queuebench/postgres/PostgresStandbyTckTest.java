package dev.queuebench.postgres;

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
 * The whole contract, default strategy, against a throwaway primary with a synchronous streaming standby
 * ({@link ThrowawayPostgresPair#SYNC}), reached as production reaches it: the multi-host URL with
 * {@code targetServerType=primary}.
 */
class PostgresStandbyTckTest extends QueueBackendTck {
    private ThrowawayPostgresPair pair;

    @BeforeAll
    void startPair() {
        String unavailable = BackendFaults.of(PostgresBackendProvider.NAME).orElseThrow().clusterUnavailableReason()
                .orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway PostgreSQL pair can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        pair = ThrowawayPostgresPair.start(ThrowawayPostgresPair.SYNC);
    }

    @AfterAll
    void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Override
    protected QueueBackendProvider provider() {
        return new PostgresBackendProvider();
    }

    @Override
    protected Stream<String> strategies() {
        return Stream.of(provider().strategies().getFirst());
    }

    @Override
    protected BackendConfig baseConfig() {
        Map<String, String> values = new HashMap<>(pair.config());
        values.put(PostgresConfig.SCHEMA.name(), "queuebench_tck");
        values.put(PostgresConfig.POOL_SIZE.name(), "4");
        return BackendConfig.of(values);
    }
}
