package dev.queuebench.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration is checked before anything connects, names the bad key, and never shows a password. */
class RedisConfigTest {
    @Test
    void defaultsReachTheLocalServerWithTheLuaStrategy() {
        RedisConfig config = RedisConfig.from(BackendConfig.empty());

        assertThat(config.address()).isEqualTo("localhost:6379");
        assertThat(config.prefix()).isEqualTo("qb");
        assertThat(config.strategy()).isEqualTo("lua");
        assertThat(config.cluster()).isFalse();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullUrlIsParsedAndThePasswordNeverShown() {
        RedisConfig config = RedisConfig.from(BackendConfig.of(Map.of(
                "url", "rediss://bob:p%40ss:word@cache.example:6380/2", "strategy", "WATCH")));

        assertThat(config.tls()).isTrue();
        assertThat(config.username()).isEqualTo("bob");
        assertThat(config.password()).isEqualTo("p@ss:word");
        assertThat(config.database()).isEqualTo(2);
        assertThat(config.address()).isEqualTo("cache.example:6380");
        assertThat(config.strategy()).isEqualTo("watch");
        assertThat(config.toString()).contains("rediss://bob:****@cache.example:6380/2").doesNotContain("p@ss", "word");
        assertThat(config.redactedUrl()).doesNotContain("p@ss");
    }

    @Test
    void badUrlsAreRejectedNamingTheKeyAndTheFormWithoutThePassword() {
        for (String url : new String[] {"http://u:hunter2@host:6379", "redis://hunter2@host:6379",
                "redis://:hunter2@host:6379/db1", "redis://:hunter2@host:6379?timeout=5", "redis://:hunter2@:6379"}) {
            assertThatThrownBy(() -> RedisConfig.from(BackendConfig.of(Map.of("url", url))))
                    .as(url)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'url'")
                    .hasMessageContaining("host:port[/db]")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void badValuesAreRejectedNamingTheirKey() {
        Map<String, String> bad = Map.of(
                "prefix", "qb:other",
                "clientName", "has space",
                "cluster", "maybe",
                "pollInterval", "often",
                "commandTimeout", "0ms",
                "strategy", "optimistic");
        bad.forEach((key, value) -> assertThatThrownBy(() -> RedisConfig.from(BackendConfig.of(Map.of(key, value))))
                .as(key)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + key + "'"));
    }

    @Test
    void clusterAllowsOnlyDatabaseZero() {
        assertThatThrownBy(
                () -> RedisConfig.from(BackendConfig.of(Map.of("url", "redis://h:7000/3", "cluster", "true"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("database 0");
    }

    @Test
    void providerIsFoundByNameAndRejectsUndeclaredKeys() {
        assertThat(QueueBackends.provider("redis").strategies()).containsExactly("lua", "watch");
        assertThatThrownBy(() -> QueueBackends.open("redis", BackendConfig.of(Map.of("host", "localhost"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'host'");
    }

    @Test
    void durabilityIsVolatileUnlessAnAppendOnlyFileIsSynced() {
        assertThat(ServerSettings.durability(Map.of("appendonly", "no", "save", "3600 1")))
                .isEqualTo(Durability.VOLATILE);
        assertThat(ServerSettings.durability(Map.of("appendonly", "yes", "appendfsync", "no")))
                .isEqualTo(Durability.VOLATILE);
        assertThat(ServerSettings.durability(Map.of("appendonly", "yes", "appendfsync", "everysec")))
                .isEqualTo(Durability.CRASH_SAFE);
        assertThat(ServerSettings.durability(Map.of("appendonly", "yes", "appendfsync", "always")))
                .isEqualTo(Durability.DURABLE);
        assertThat(ServerSettings.durability(Map.of("appendonly", "yes", "appendfsync", "always",
                "maxmemory-policy", "allkeys-lru"))).isEqualTo(Durability.VOLATILE);
    }

    @Test
    void sentinelUrlListsEverySentinelAndTheMasterAndNeverShowsThePassword() {
        RedisConfig config = RedisConfig.from(BackendConfig.of(Map.of(
                "url", "redis-sentinel://:s%3Acret@10.0.0.1:26380,10.0.0.2,sentinel-3:26381/4#orders",
                "waitReplicas", "1")));

        assertThat(config.sentinel()).isTrue();
        assertThat(config.sentinels()).containsExactly("10.0.0.1:26380", "10.0.0.2:26379", "sentinel-3:26381");
        assertThat(config.sentinelMaster()).isEqualTo("orders");
        assertThat(config.password()).isEqualTo("s:cret");
        assertThat(config.database()).isEqualTo(4);
        assertThat(config.waitReplicas()).isEqualTo(1);
        assertThat(config.redactedUrl())
                .isEqualTo("redis-sentinel://:****@10.0.0.1:26380,10.0.0.2:26379,sentinel-3:26381/4#orders");
        assertThat(config.toString()).doesNotContain("cret");
        assertThat(RedisConnections.uri(config).getSentinels()).hasSize(3);
        assertThat(RedisConnections.uri(config).getSentinelMasterId()).isEqualTo("orders");
    }

    @Test
    void badSentinelUrlsAreRejectedNamingTheKeyWithoutThePassword() {
        for (String url : new String[] {"redis-sentinel://:hunter2@h:26379", "redis-sentinel://:hunter2@h:26379#",
                "redis-sentinel://:hunter2@h:26379,#m", "redis-sentinel://:hunter2@h:99999#m",
                "redis-sentinel://:hunter2@h:26379?timeout=1#m", "redis-sentinel://hunter2@h:26379#m",
                "redis-sentinel://:hunter2@h:26379/x#m"}) {
            assertThatThrownBy(() -> RedisConfig.from(BackendConfig.of(Map.of("url", url))))
                    .as(url)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'url'")
                    .hasMessageContaining("redis-sentinel://")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void waitReplicasIsRefusedOnACluster() {
        assertThatThrownBy(() -> RedisConfig.from(BackendConfig.of(Map.of("url", "redis://h:7000", "cluster", "true",
                "waitReplicas", "1"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'waitReplicas'");
        assertThatThrownBy(() -> RedisConfig.from(BackendConfig.of(Map.of("url", "redis-sentinel://h#m",
                "cluster", "true"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'cluster'");
    }
}
