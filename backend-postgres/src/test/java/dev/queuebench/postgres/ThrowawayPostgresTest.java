package dev.queuebench.postgres;

import dev.queuebench.testsupport.ThrowawayServerKit;
import java.util.Map;

/** The chaos suite's fault hook on a real throwaway PostgreSQL cluster: the backend survives each fault. */
class ThrowawayPostgresTest extends ThrowawayServerKit {
    @Override
    protected String backendName() {
        return PostgresBackendProvider.NAME;
    }

    @Override
    protected Map<String, String> overrides() {
        return Map.of(PostgresConfig.POOL_SIZE.name(), "2", PostgresConfig.CONNECT_TIMEOUT.name(), "2s");
    }
}
