package dev.queuebench.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and validation of the configuration, and what server settings mean; needs no server. */
class MariadbConfigTest {
    private static final List<String> STRATEGIES = new MariadbBackendProvider().strategies();

    private static MariadbConfig parse(Map<String, String> values) {
        return MariadbConfig.from(BackendConfig.of(values), STRATEGIES);
    }

    @Test
    void defaultsReachTheLocalTestDatabaseAsRoot() {
        MariadbConfig config = parse(Map.of());

        assertThat(config.address()).isEqualTo("localhost:3306");
        assertThat(config.database()).isEqualTo("test");
        assertThat(config.user()).isEqualTo("root");
        assertThat(config.password()).isNull();
        assertThat(config.table()).isEqualTo("queuebench_jobs");
        assertThat(config.versionTable()).isEqualTo("queuebench_jobs_version");
        assertThat(config.strategy()).isEqualTo("skip-locked");
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.lockWaitTimeoutSeconds()).isEqualTo(5);
    }

    @Test
    void mariadbUrlGivesHostPortDatabaseUserDecodedPasswordAndOptions() {
        MariadbConfig config = parse(Map.of("url", "mariadb://app:p%40ss%3Aword@db.example:3307/jobs?sslMode=trust"));

        assertThat(config.address()).isEqualTo("db.example:3307");
        assertThat(config.database()).isEqualTo("jobs");
        assertThat(config.user()).isEqualTo("app");
        assertThat(config.password()).isEqualTo("p@ss:word");
        assertThat(config.parameters()).containsEntry("sslMode", "trust");
    }

    @Test
    void jdbcAndMysqlUrlsGiveTheSameFields() {
        for (String url : List.of("jdbc:mariadb://db.example:3307/jobs?user=app&password=hunter2",
                "jdbc:mysql://db.example:3307/jobs?user=app&password=hunter2",
                "mysql://app:hunter2@db.example:3307/jobs")) {
            MariadbConfig config = parse(Map.of("url", url));

            assertThat(config.address()).as(url).isEqualTo("db.example:3307");
            assertThat(config.database()).isEqualTo("jobs");
            assertThat(config.user()).isEqualTo("app");
            assertThat(config.password()).isEqualTo("hunter2");
            assertThat(config.parameters()).doesNotContainKeys("user", "password");
        }
    }

    @Test
    void passwordNeverAppearsInToStringOrTheRedactedUrl() {
        MariadbConfig config = parse(Map.of("url", "mariadb://app:hunter2@db.example:3307/jobs?password=hunter2"));

        assertThat(config.toString()).doesNotContain("hunter2").contains("app:****@db.example:3307/jobs");
        assertThat(config.redactedUrl()).doesNotContain("hunter2");
    }

    @Test
    void malformedUrlIsRejectedNamingTheKeyWithoutThePassword() {
        assertThatThrownBy(() -> parse(Map.of("url", "mariadb://app:hun ter2@db example/jobs")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'url'")
                .hasMessageNotContaining("ter2");
        assertThatThrownBy(() -> parse(Map.of("url", "postgresql://localhost/test")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'url' is not a MariaDB URL");
        assertThatThrownBy(() -> parse(Map.of("url", "mariadb://localhost:99999/test")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'url' has port '99999'");
        assertThatThrownBy(() -> parse(Map.of("url", "mariadb://a:hunter2@h1:3306,h2:3306/test")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("one host")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> parse(Map.of("url", "mariadb://localhost/a/b")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("one database");
    }

    @Test
    void tableMustBeAPlainLowerCaseIdentifier() {
        for (String bad : List.of("Jobs", "1jobs", "jobs; DROP TABLE x", "a".repeat(49), "`q`")) {
            assertThatThrownBy(() -> parse(Map.of("table", bad)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'table'");
        }
        assertThat(parse(Map.of("table", "queue_2")).table()).isEqualTo("queue_2");
    }

    @Test
    void otherValuesAreCheckedByKey() {
        assertThatThrownBy(() -> parse(Map.of("strategy", "advisory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'strategy' must be one of [skip-locked, optimistic]");
        assertThatThrownBy(() -> parse(Map.of("poolSize", "0")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("'poolSize' must be a whole number from 1 to 200, was '0'");
        assertThatThrownBy(() -> parse(Map.of("pollInterval", "0s")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'pollInterval'");
        assertThatThrownBy(() -> parse(Map.of("lockWaitTimeout", "0")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'lockWaitTimeout'");
    }

    @Test
    void unknownKeyIsRejectedListingTheAcceptedOnes() {
        assertThatThrownBy(() -> QueueBackends.validate(new MariadbBackendProvider(),
                        BackendConfig.of(Map.of("schema", "x"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown configuration key 'schema'")
                .hasMessageContaining("table");
    }

    @Test
    void durabilityFollowsTheFlushAndBinaryLogSettings() {
        assertThat(durability("1", "OFF", "0")).isEqualTo(Durability.DURABLE);
        assertThat(durability("1", "ON", "1")).isEqualTo(Durability.DURABLE);
        assertThat(durability("1", "ON", "0")).isEqualTo(Durability.CRASH_SAFE);
        assertThat(durability("2", "OFF", "0")).isEqualTo(Durability.CRASH_SAFE);
        assertThat(durability("0", "OFF", "1")).isEqualTo(Durability.VOLATILE);
    }

    @Test
    void largestPayloadFitsOneStatementUnderMaxAllowedPacket() {
        ServerSettings server = new ServerSettings(Map.of("max_allowed_packet", "16777216"));

        assertThat(server.maxPayloadBytes()).isBetween(8 << 20 - 1 << 13, 8 << 20);
        assertThat(2L * server.maxPayloadBytes() + 256).isLessThanOrEqualTo(server.statementBytes());
        assertThat(new ServerSettings(Map.of("max_allowed_packet", "1073741824")).maxPayloadBytes())
                .isEqualTo((16 << 20) - 1);
    }

    private static Durability durability(String flush, String logBin, String syncBinlog) {
        return new ServerSettings(Map.of("innodb_flush_log_at_trx_commit", flush, "log_bin", logBin,
                "sync_binlog", syncBinlog)).durability();
    }
}
