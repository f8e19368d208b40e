package dev.queuebench.redis;

import dev.queuebench.testsupport.ThrowawayServerKit;

/** The chaos suite's fault hook on a real throwaway redis-server: the backend survives each fault it can inject. */
class ThrowawayRedisTest extends ThrowawayServerKit {
    @Override
    protected String backendName() {
        return RedisBackendProvider.NAME;
    }
}
