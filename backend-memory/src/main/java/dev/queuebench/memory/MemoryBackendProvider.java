package dev.queuebench.memory;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import java.util.ArrayList;
import java.util.List;

/** Provider {@code memory}: the in-process reference backend, and the harness's own ceiling in the suite. */
public final class MemoryBackendProvider implements QueueBackendProvider {
    public static final String NAME = "memory";
    static final String STRATEGY = "monitor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "in-process reference backend: one lock per queue; nothing survives the process";
    }

    @Override
    public List<String> strategies() {
        return List.of(STRATEGY);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>();
        keys.add(QueueBackends.strategyKey(strategies()));
        keys.addAll(Backoff.KEYS);
        return keys;
    }

    @Override
    public QueueBackend create(BackendConfig config) {
        return new MemoryQueueBackend(Backoff.from(config), config.meterRegistry());
    }
}
