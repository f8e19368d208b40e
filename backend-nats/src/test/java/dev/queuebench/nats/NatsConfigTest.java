package dev.queuebench.nats;

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

/** Bad configuration names its key; an unreachable server fails fast, naming the address without the password. */
class NatsConfigTest {
    private final NatsBackendProvider provider = new NatsBackendProvider();

    @Test
    void badValuesAreRejectedNamingTheirKey() {
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("ackWait", "fast"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'ackWait'");
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("prefix", "a.b"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'prefix'");
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("strategy", "push"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'strategy'");
        assertThatThrownBy(() -> NatsConfig.from(BackendConfig.of(Map.of("url", "redis://u:hunter2@h:1")),
                provider.strategies()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'url'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void passwordNeverShowsInTheConfigurationsText() {
        NatsConfig config = NatsConfig.from(BackendConfig.of(Map.of("url", "nats://alice:hunter2@127.0.0.1:4222")),
                provider.strategies());

        assertThat(config.user()).isEqualTo("alice");
        assertThat(config.password()).isEqualTo("hunter2");
        assertThat(config.toString()).doesNotContain("hunter2").contains("alice:****@127.0.0.1:4222");
    }

    @Test
    void serverListGivesEveryServerToTheClientAndTheCredentialsOnce() {
        NatsConfig config = NatsConfig.from(BackendConfig.of(Map.of("url",
                "nats://alice:hunter2@10.0.0.1:4222, nats://10.0.0.2:4223,nats://10.0.0.3", "replicas", "3")),
                provider.strategies());

        assertThat(config.serverUrls()).containsExactly("nats://10.0.0.1:4222", "nats://10.0.0.2:4223",
                "nats://10.0.0.3:4222");
        assertThat(config.replicas()).isEqualTo(3);
        assertThat(config.redactedUrl())
                .isEqualTo("nats://alice:****@10.0.0.1:4222,nats://10.0.0.2:4223,nats://10.0.0.3:4222");
        for (String bad : new String[] {"nats://alice:hunter2@h1:1,", "nats://alice:hunter2@h1:1,http://h2:2",
                "nats://alice:hunter2@h1:1,nats://bob:pw@h2:2"}) {
            assertThatThrownBy(() -> NatsConfig.from(BackendConfig.of(Map.of("url", bad)), provider.strategies()))
                    .as(bad).isInstanceOf(ConfigurationException.class).hasMessageContaining("'url'")
                    .hasMessageNotContaining("hunter2");
        }
        assertThatThrownBy(() -> QueueBackends.validate(provider, BackendConfig.of(Map.of("replicas", "7"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'replicas'");
    }

    @Test
    void unreachableServerFailsFastNamingTheAddressWithoutThePassword() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        BackendConfig config = BackendConfig.of(Map.of("url", "nats://alice:hunter2@127.0.0.1:" + port,
                "connectTimeout", "500ms"));
        long start = System.nanoTime();

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("-js")
                .hasMessageNotContaining("hunter2");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
