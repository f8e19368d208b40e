package dev.queuebench.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad configuration names its key; an unreachable broker fails fast, naming the address without the password. */
class RabbitmqConfigTest {
    private final RabbitmqBackendProvider provider = new RabbitmqBackendProvider();

    @Test
    void badValuesAreRejectedNamingTheirKey() {
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("pollInterval", "fast"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'pollInterval'");
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("prefix", "a:b"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'prefix'");
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("strategy", "stream"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'strategy'");
        assertThatThrownBy(() -> RabbitmqConfig.from(BackendConfig.of(Map.of("url", "redis://u:hunter2@h:1")),
                provider.strategies()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'url'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void urlGivesUserPasswordAndVhostWhichNeverShowsInTheText() {
        RabbitmqConfig config = RabbitmqConfig.from(
                BackendConfig.of(Map.of("url", "amqp://alice:hunter2@127.0.0.1:5673/jobs%2Fa")), provider.strategies());
        RabbitmqConfig plain = RabbitmqConfig.from(BackendConfig.of(Map.of("url", "amqp://127.0.0.1")),
                provider.strategies());

        assertThat(config.user()).isEqualTo("alice");
        assertThat(config.password()).isEqualTo("hunter2");
        assertThat(config.vhost()).isEqualTo("jobs/a");
        assertThat(config.port()).isEqualTo(5673);
        assertThat(config.toString()).doesNotContain("hunter2").contains("alice:****@127.0.0.1:5673");
        assertThat(plain.vhost()).isEqualTo("/");
        assertThat(plain.port()).isEqualTo(5672);
        assertThat(plain.strategy()).isEqualTo("quorum");
    }

    @Test
    void urlMayListEveryNodeOfAClusterInItsOrder() {
        RabbitmqConfig config = RabbitmqConfig.from(BackendConfig.of(Map.of("url",
                "amqp://alice:hunter2@127.0.0.1:5673,127.0.0.2,node3:5675/jobs")), provider.strategies());

        assertThat(config.servers()).extracting(Object::toString)
                .containsExactly("127.0.0.1:5673", "127.0.0.2:5672", "node3:5675");
        assertThat(config.vhost()).isEqualTo("jobs");
        assertThat(config.toString()).doesNotContain("hunter2")
                .contains("alice:****@127.0.0.1:5673,127.0.0.2:5672,node3:5675/jobs");
    }

    @Test
    void unreachableBrokerFailsFastNamingTheAddressWithoutThePassword() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        BackendConfig config = BackendConfig.of(Map.of("url", "amqp://alice:hunter2@127.0.0.1:" + port + "/",
                "connectTimeout", "500ms"));
        long start = System.nanoTime();

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("rabbitmq-server")
                .hasMessageNotContaining("hunter2");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
