package dev.queuebench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendConfigTest {
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void durationsAcceptUnitsAndIso8601() {
        var config = BackendConfig.of(Map.of("a", "250ms", "b", "1.5s", "c", "2m", "d", "PT3S"));
        for (var expected : Map.of("a", Duration.ofMillis(250), "b", Duration.ofMillis(1500),
                "c", Duration.ofMinutes(2), "d", Duration.ofSeconds(3)).entrySet()) {
            assertThat(config.get(ConfigKey.duration(expected.getKey(), "-", null, Duration.ZERO, DAY)))
                    .isEqualTo(expected.getValue());
        }
        assertThat(config.get(ConfigKey.duration("missing", "-", Duration.ofSeconds(9), Duration.ZERO, DAY)))
                .hasSeconds(9);
    }

    @Test
    void badValuesNameTheKeyAndWhatItAccepts() {
        var config = BackendConfig.of(Map.of("poolSize", "many", "lease", "soon", "notify", "maybe", "mode", "x"));
        assertThatThrownBy(() -> config.get(ConfigKey.integer("poolSize", "-", 4, 1, 64)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("'poolSize' must be a whole number from 1 to 64, was 'many'");
        assertThatThrownBy(() -> config.get(ConfigKey.duration("lease", "-", Duration.ZERO, Duration.ZERO, DAY)))
                .hasMessageStartingWith("'lease' must be a duration");
        assertThatThrownBy(() -> config.get(ConfigKey.bool("notify", "-", true)))
                .hasMessage("'notify' must be true or false, was 'maybe'");
        assertThatThrownBy(() -> config.get(ConfigKey.oneOf("mode", "-", List.of("a", "b"), "a")))
                .hasMessage("'mode' must be one of [a, b], was 'x'");
    }

    @Test
    void outOfRangeNumberIsRejectedAndBlankMeansTheDefault() {
        ConfigKey<Integer> poolSize = ConfigKey.integer("poolSize", "-", 4, 1, 64);
        assertThatThrownBy(() -> BackendConfig.of(Map.of("poolSize", "0")).get(poolSize))
                .isInstanceOf(ConfigurationException.class);
        assertThat(BackendConfig.of(Map.of("poolSize", " ")).get(poolSize)).isEqualTo(4);
        assertThat(poolSize.defaultText()).isEqualTo("4");
        assertThat(ConfigKey.duration("d", "-", Duration.ofMillis(1500), Duration.ZERO, DAY).defaultText())
                .isEqualTo("1500ms");
        assertThat(ConfigKey.duration("d", "-", Duration.ofMinutes(10), Duration.ZERO, DAY).defaultText())
                .isEqualTo("10m");
    }

    @Test
    void redactionFollowsTheDeclarationNotTheKeyName() {
        var url = ConfigKey.text("url", "-", null);
        var apiKey = ConfigKey.text("apiKey", "-", null).secret();
        var jdbc = ConfigKey.text("jdbc", "-", null);
        var config = BackendConfig.of(Map.of("url", "postgresql://app:s3cret@db:5432/jobs", "apiKey", "s3cret",
                "jdbc", "jdbc:x://h/d?password=s3cret", "undeclared", "s3cret"));
        assertThat(config.redacted(List.of(url, apiKey, jdbc)))
                .containsEntry("url", "postgresql://app:****@db:5432/jobs")
                .containsEntry("apiKey", Secrets.MASK)
                .containsEntry("jdbc", "jdbc:x://h/d?password=****")
                .containsEntry("undeclared", Secrets.MASK);
        assertThat(config.toString()).doesNotContain("s3cret");
        var pin = ConfigKey.integer("pin", "-", 0, 0, 9999).secret();
        assertThatThrownBy(() -> BackendConfig.of(Map.of("pin", "s3cret")).get(pin))
                .hasMessageContaining("'pin' must be a whole number")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void backoffGrowsExponentiallyUpToItsCapWithJitterBelow() {
        var backoff = Backoff.from(BackendConfig.of(Map.of("backoffBase", "100ms", "backoffMax", "1s")));
        assertThat(backoff.delayAfter(1)).isBetween(Duration.ofMillis(80), Duration.ofMillis(100));
        assertThat(backoff.delayAfter(3)).isBetween(Duration.ofMillis(320), Duration.ofMillis(400));
        assertThat(backoff.delayAfter(30)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1));
        assertThatThrownBy(() -> Backoff.from(BackendConfig.of(Map.of("backoffJitter", "2"))))
                .hasMessageContaining("'backoffJitter'");
        assertThatThrownBy(() -> Backoff.from(BackendConfig.of(Map.of("backoffBase", "2s", "backoffMax", "1s"))))
                .hasMessageContaining("'backoffMax' must be at least 'backoffBase'");
    }

    @Test
    void queueNamesFollowTheOneRule() {
        assertThat(QueueNames.requireValid("emails.high-priority_2")).isEqualTo("emails.high-priority_2");
        for (String bad : new String[] {"", "a b", "x'; DROP TABLE jobs;--", "{qb}", "a".repeat(65), "é"}) {
            assertThatThrownBy(() -> QueueNames.requireValid(bad)).isInstanceOf(InvalidQueueNameException.class);
        }
        assertThatThrownBy(() -> QueueNames.requireValid(null)).isInstanceOf(InvalidQueueNameException.class);
    }
}
