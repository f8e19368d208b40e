package dev.queuebench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueBackendsTest {

    /** A provider registered in this module's test resources; it never reaches a server. */
    public static final class UnreachableProvider implements QueueBackendProvider {
        static final ConfigKey<String> URL = ConfigKey.text("url", "where", "x://localhost");

        @Override
        public String name() {
            return "unreachable";
        }

        @Override
        public String description() {
            return "test provider whose server is never there";
        }

        @Override
        public List<String> strategies() {
            return List.of("first", "second");
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return List.of(QueueBackends.strategyKey(strategies()), URL);
        }

        @Override
        public QueueBackend create(BackendConfig config) {
            throw new BackendUnavailableException("cannot reach " + config.get(URL), null);
        }
    }

    @Test
    void providersAreFoundWithServiceLoader() {
        assertThat(QueueBackends.names()).contains("unreachable");
    }

    @Test
    void unknownBackendListsTheAvailableOnes() {
        assertThatThrownBy(() -> QueueBackends.open("nope", BackendConfig.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown backend 'nope'")
                .hasMessageContaining("available: unreachable");
    }

    @Test
    void unknownConfigurationKeyIsNamedWithTheAcceptedOnes() {
        var config = BackendConfig.of(Map.of("uri", "x://elsewhere"));
        assertThatThrownBy(() -> QueueBackends.open("unreachable", config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'uri'")
                .hasMessageContaining("[strategy, url]");
    }

    @Test
    void undeclaredStrategyIsRejectedWithTheDeclaredOnes() {
        var config = BackendConfig.of(Map.of("strategy", "third"));
        assertThatThrownBy(() -> QueueBackends.open("unreachable", config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'strategy' must be one of [first, second]");
    }

    @Test
    void unreachableServerErrorNeverShowsThePassword() {
        var config = BackendConfig.of(Map.of("url", "x://admin:hunter2@db.example:5432/q"));
        assertThatThrownBy(() -> QueueBackends.open("UNREACHABLE", config))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("x://admin:****@db.example:5432/q")
                .hasMessageNotContaining("hunter2");
    }
}
