package dev.queuebench.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.ServerUrl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and validation of the configuration; needs no server. */
class PostgresConfigTest {
    private static final List<String> STRATEGIES = new PostgresBackendProvider().strategies();

    private static PostgresConfig parse(Map<String, String> values) {
        return PostgresConfig.from(BackendConfig.of(values), STRATEGIES);
    }

    @Test
    void defaultsReachTheLocalTestDatabaseAsPostgres() {
        PostgresConfig config = parse(Map.of());

        assertThat(config.address()).isEqualTo("localhost:5432");
        assertThat(config.database()).isEqualTo("test");
        assertThat(config.user()).isEqualTo("postgres");
        assertThat(config.password()).isNull();
        assertThat(config.schema()).isEqualTo("queuebench");
        assertThat(config.strategy()).isEqualTo("skip-locked");
        assertThat(config.notifyOnEnqueue()).isTrue();
        assertThat(config.asyncCommit()).isEqualTo(PostgresConfig.AsyncCommit.COMPLETIONS);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void postgresqlUrlGivesHostPortDatabaseUserDecodedPasswordAndParameters() {
        PostgresConfig config =
                parse(Map.of("url", "postgresql://app:p%40ss%3Aword@db.example:6543/jobs?sslmode=disable"));

        assertThat(config.address()).isEqualTo("db.example:6543");
        assertThat(config.database()).isEqualTo("jobs");
        assertThat(config.user()).isEqualTo("app");
        assertThat(config.password()).isEqualTo("p@ss:word");
        assertThat(config.parameters()).containsEntry("sslmode", "disable");
    }

    @Test
    void multiHostJdbcUrlListsEveryServerInOrderAndKeepsTargetServerType() {
        PostgresConfig config = parse(Map.of("url",
                "jdbc:postgresql://10.0.0.1:5433,10.0.0.2/jobs?user=app&targetServerType=primary"));

        assertThat(config.servers()).containsExactly(new ServerUrl.Server("10.0.0.1", 5433),
                new ServerUrl.Server("10.0.0.2", 5432));
        assertThat(config.address()).isEqualTo("10.0.0.1:5433,10.0.0.2:5432");
        assertThat(config.parameters()).containsEntry("targetServerType", "primary");
        assertThat(PostgresQueueBackend.dataSource(config).getPortNumbers()).containsExactly(5433, 5432);
    }

    @Test
    void multiHostPostgresqlUrlIsRefusedWithTheJdbcFormToUse() {
        assertThatThrownBy(() -> parse(Map.of("url", "postgresql://app@h1:5432,h2:5432/jobs")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("several hosts need the form jdbc:postgresql://h1:p1,h2:p2");
    }

    @Test
    void jdbcUrlGivesTheSameFields() {
        PostgresConfig config =
                parse(Map.of("url", "jdbc:postgresql://db.example:6543/jobs?user=app&password=hunter2"));

        assertThat(config.address()).isEqualTo("db.example:6543");
        assertThat(config.database()).isEqualTo("jobs");
        assertThat(config.user()).isEqualTo("app");
        assertThat(config.password()).isEqualTo("hunter2");
        assertThat(config.parameters()).doesNotContainKey("password");
    }

    @Test
    void passwordNeverAppearsInToStringOrTheRedactedUrl() {
        PostgresConfig config = parse(Map.of("url", "postgresql://app:hunter2@db.example:6543/jobs"));

        assertThat(config.toString()).doesNotContain("hunter2").contains("app:****@db.example:6543/jobs");
        assertThat(config.redactedUrl()).doesNotContain("hunter2");
    }

    @Test
    void malformedUrlIsRejectedNamingTheKeyWithoutThePassword() {
        assertThatThrownBy(() -> parse(Map.of("url", "postgresql://app:hun ter2@db example/jobs")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'url'")
                .hasMessageNotContaining("hun ter2")
                .hasMessageNotContaining("ter2");
        assertThatThrownBy(() -> parse(Map.of("url", "mysql://localhost/test")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'url' is not a PostgreSQL URL");
        assertThatThrownBy(() -> parse(Map.of("url", "postgresql://localhost:99999/test")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'url'");
    }

    @Test
    void outOfRangePoolSizeIsRejectedWithTheAcceptedRange() {
        assertThatThrownBy(() -> parse(Map.of("poolSize", "0")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("'poolSize' must be a whole number from 1 to 200, was '0'");
        assertThatThrownBy(() -> parse(Map.of("poolSize", "many")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'poolSize'");
    }

    @Test
    void schemaMustBeAPlainLowerCaseIdentifier() {
        for (String bad : List.of("Jobs", "1jobs", "jobs; DROP TABLE x", "a".repeat(49), "\"q\"")) {
            assertThatThrownBy(() -> parse(Map.of("schema", bad)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'schema'");
        }
        assertThat(parse(Map.of("schema", "queue_2")).schema()).isEqualTo("queue_2");
    }

    @Test
    void otherValuesAreCheckedByKey() {
        assertThatThrownBy(() -> parse(Map.of("strategy", "advisory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'strategy' must be one of [skip-locked, optimistic]");
        assertThatThrownBy(() -> parse(Map.of("notify", "sometimes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'notify'");
        assertThatThrownBy(() -> parse(Map.of("pollInterval", "0s")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'pollInterval'");
        assertThatThrownBy(() -> parse(Map.of("asyncCommit", "maybe")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'asyncCommit' must be one of [none, completions, claims+completions]");
        assertThatThrownBy(() -> parse(Map.of("vacuum", "sometimes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'vacuum'");
    }

    @Test
    void unknownKeyIsRejectedListingTheAcceptedOnes() {
        assertThatThrownBy(() -> QueueBackends.validate(new PostgresBackendProvider(),
                        BackendConfig.of(Map.of("host", "localhost"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown configuration key 'host'")
                .hasMessageContaining("url");
    }
}
