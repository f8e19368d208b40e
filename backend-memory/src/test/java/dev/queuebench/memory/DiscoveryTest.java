package dev.queuebench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    @Test
    void memoryProviderIsFoundByName() {
        try (QueueBackend backend = QueueBackends.open("memory", BackendConfig.empty())) {
            assertThat(backend.name()).isEqualTo("memory");
            assertThat(backend.strategy()).isEqualTo("monitor");
        }
    }

    @Test
    void unknownBackendListsMemoryAmongTheAvailable() {
        assertThatThrownBy(() -> QueueBackends.open("nope", BackendConfig.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("unknown backend 'nope'; available: memory");
    }
}
