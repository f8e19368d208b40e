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
        assertThat(config.duration("a", null, Duration.ZERO, DAY)).isEqualTo(Duration.ofMillis(250));
        assertThat(config.duration("b", null, Duration.ZERO, DAY)).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.duration("c", null, Duration.ZERO, DAY)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.duration("d", null, Duration.ZERO, DAY)).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.duration("missing", Duration.ofSeconds(9), Duration.ZERO, DAY)).hasSeconds(9);
    }

    @Test
    void badValuesNameTheKeyAndWhatItAccepts() {
        var config = BackendConfig.of(Map.of("poolSize", "many", "lease", "soon", "notify", "maybe", "mode", "x"));
        assertThatThrownBy(() -> config.integer("poolSize", 4, 1, 64))
                .hasMessage("'poolSize' must be a whole number from 1 to 64, was 'many'");
        assertThatThrownBy(() -> config.duration("lease", Duration.ZERO, Duration.ZERO, DAY))
                .hasMessageStartingWith("'lease' must be a duration");
        assertThatThrownBy(() -> config.bool("notify", true)).hasMessage("'notify' must be true or false, was 'maybe'");
        assertThatThrownBy(() -> config.oneOf("mode", List.of("a", "b"), "a"))
                .hasMessage("'mode' must be one of [a, b], was 'x'");
    }

    @Test
    void outOfRangeNumberIsRejected() {
        var config = BackendConfig.of(Map.of("poolSize", "0"));
        assertThatThrownBy(() -> config.integer("poolSize", 4, 1, 64)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void toStringAndRedactedHideSecrets() {
        var config = BackendConfig.of(Map.of(
                "url", "postgresql://app:s3cret@db:5432/jobs", "password", "s3cret", "jdbc", "jdbc:x://h/d?password=s3cret"));
        assertThat(config.toString()).doesNotContain("s3cret").contains("app:****@db:5432");
        assertThat(config.redacted()).containsEntry("password", Secrets.MASK)
                .containsEntry("jdbc", "jdbc:x://h/d?password=****");
    }

    @Test
    void backoffGrowsExponentiallyUpToItsCapWithJitterBelow() {
        var backoff = Backoff.from(BackendConfig.of(Map.of("backoffBase", "100ms", "backoffMax", "1s")));
        assertThat(backoff.delayAfter(1)).isBetween(Duration.ofMillis(80), Duration.ofMillis(100));
        assertThat(backoff.delayAfter(3)).isBetween(Duration.ofMillis(320), Duration.ofMillis(400));
        assertThat(backoff.delayAfter(30)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1));
        assertThatThrownBy(() -> Backoff.from(BackendConfig.of(Map.of("backoffJitter", "2"))))
                .hasMessageContaining("'backoffJitter'");
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
