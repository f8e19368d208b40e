package dev.queuebench.mariadb;

import dev.queuebench.testsupport.ThrowawayServerKit;
import java.util.Map;

/** The chaos suite's fault hook on a real throwaway mariadbd: the backend survives each fault it can inject. */
class ThrowawayMariadbTest extends ThrowawayServerKit {
    @Override
    protected String backendName() {
        return MariadbBackendProvider.NAME;
    }

    @Override
    protected Map<String, String> overrides() {
        return Map.of(MariadbConfig.POOL_SIZE.name(), "2", MariadbConfig.CONNECT_TIMEOUT.name(), "2s");
    }
}
