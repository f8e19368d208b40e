package dev.queuebench.suite.conformance;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.memory.MemoryBackendProvider;
import dev.queuebench.suite.FaultyBackends;
import java.util.List;

/**
 * Provider {@code stale-accepting} (tests only): the memory backend, still declaring fencing, whose {@code complete}
 * answers true even when the lease was stale and the backend refused it.
 */
public final class StaleCompleteAccepting implements QueueBackendProvider {
    @Override
    public String name() {
        return "stale-accepting";
    }

    @Override
    public String description() {
        return "memory backend that answers true to a stale complete (tests only)";
    }

    @Override
    public List<String> strategies() {
        return new MemoryBackendProvider().strategies();
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return new MemoryBackendProvider().configKeys();
    }

    @Override
    public QueueBackend create(BackendConfig config) {
        return new FaultyBackends.Forwarding(name(), config) {
            @Override
            public boolean complete(ClaimedJob job) {
                delegate.complete(job);
                return true;
            }
        };
    }
}
