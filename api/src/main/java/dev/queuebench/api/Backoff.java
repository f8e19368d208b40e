package dev.queuebench.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays: exponential from {@code base}, capped at {@code max}, with up to {@code jitter} of it taken off at
 * random so retries of one burst spread out. Every backend computes backoff here, so they all retry alike.
 */
public record Backoff(Duration base, Duration max, double jitter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), 0.2);

    public static final ConfigKey<Duration> BASE = ConfigKey.duration("backoffBase",
            "delay before the first retry; doubles with each attempt", DEFAULT.base(), Duration.ZERO,
            Duration.ofDays(1));
    public static final ConfigKey<Duration> MAX = ConfigKey.duration("backoffMax",
            "longest delay between retries (at least backoffBase)", DEFAULT.max(), Duration.ZERO, Duration.ofDays(7));
    public static final ConfigKey<Double> JITTER = ConfigKey.decimal("backoffJitter",
            "share of the delay removed at random (0 to 1)", DEFAULT.jitter(), 0, 1);

    /** The configuration keys every provider accepts for backoff. */
    public static final List<ConfigKey<?>> KEYS = List.of(BASE, MAX, JITTER);

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("need 0 <= base <= max and 0 <= jitter <= 1");
        }
    }

    /** The backoff {@code config} sets; a base above the default cap raises the cap with it unless a max is given. */
    public static Backoff from(BackendConfig config) {
        Duration base = config.get(BASE);
        Duration max = config.given(MAX).orElse(DEFAULT.max().compareTo(base) < 0 ? base : DEFAULT.max());
        if (max.compareTo(base) < 0) {
            throw new ConfigurationException("'" + MAX.name() + "' must be at least '" + BASE.name() + "' (" + base
                    + "), was " + max);
        }
        return new Backoff(base, max, config.get(JITTER));
    }

    /** The delay before the next attempt after {@code failedAttempt} (1 after the first failure). */
    public Duration delayAfter(int failedAttempt) {
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 40);
        double nanos = Math.min(base.toNanos() * Math.pow(2, doublings), max.toNanos());
        double withJitter = nanos * (1 - jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) withJitter);
    }
}
