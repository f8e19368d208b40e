package dev.queuebench.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays: exponential from {@code base}, capped at {@code max}, with up to {@code jitter} of it taken off at
 * random so retries of one burst spread out. Every backend computes backoff here, so they all retry alike.
 */
public record Backoff(Duration base, Duration max, double jitter) {
    public static final String BASE_KEY = "backoffBase";
    public static final String MAX_KEY = "backoffMax";
    public static final String JITTER_KEY = "backoffJitter";

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), 0.2);

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("need 0 <= base <= max and 0 <= jitter <= 1");
        }
    }

    /** The configuration keys every provider accepts for backoff. */
    public static List<ConfigKey> configKeys() {
        return List.of(
                new ConfigKey(BASE_KEY, "delay before the first retry; doubles with each attempt", "1s"),
                new ConfigKey(MAX_KEY, "longest delay between retries", "10m"),
                new ConfigKey(JITTER_KEY, "share of the delay removed at random (0 to 1)", "0.2"));
    }

    public static Backoff from(BackendConfig config) {
        Duration base = config.duration(BASE_KEY, DEFAULT.base(), Duration.ZERO, Duration.ofDays(1));
        Duration max = config.duration(MAX_KEY, DEFAULT.max().compareTo(base) < 0 ? base : DEFAULT.max(), base,
                Duration.ofDays(7));
        String rawJitter = config.string(JITTER_KEY, Double.toString(DEFAULT.jitter()));
        double jitter;
        try {
            jitter = Double.parseDouble(rawJitter);
        } catch (NumberFormatException e) {
            jitter = -1;
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new ConfigurationException("'" + JITTER_KEY + "' must be a number from 0 to 1, was '" + rawJitter + "'");
        }
        return new Backoff(base, max, jitter);
    }

    /** The delay before the next attempt after {@code failedAttempt} (1 after the first failure). */
    public Duration delayAfter(int failedAttempt) {
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 40);
        double nanos = Math.min(base.toNanos() * Math.pow(2, doublings), max.toNanos());
        double withJitter = nanos * (1 - jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) withJitter);
    }
}
