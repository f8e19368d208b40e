package dev.queuebench.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The immutable configuration of one backend: string values by key plus the meter registry it records to. Typed
 * getters validate and name the key in their error.
 */
public final class BackendConfig {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private final Map<String, String> values;
    private final MeterRegistry meterRegistry;

    private BackendConfig(Map<String, String> values, MeterRegistry meterRegistry) {
        this.values = Map.copyOf(values);
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    }

    /** The given values, recording to a private {@link SimpleMeterRegistry}. */
    public static BackendConfig of(Map<String, String> values) {
        return new BackendConfig(values, new SimpleMeterRegistry());
    }

    public static BackendConfig empty() {
        return of(Map.of());
    }

    public BackendConfig with(String key, String value) {
        var copy = new TreeMap<>(values);
        copy.put(key, value);
        return new BackendConfig(copy, meterRegistry);
    }

    public BackendConfig withMeterRegistry(MeterRegistry registry) {
        return new BackendConfig(values, registry);
    }

    public Map<String, String> values() {
        return values;
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new ConfigurationException(
                "'" + key + "' must be a whole number from " + min + " to " + max + ", was '" + raw.get() + "'");
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigurationException("'" + key + "' must be true or false, was '" + raw.get() + "'");
        };
    }

    /** A duration written as {@code 250ms}, {@code 2s}, {@code 1.5m}, {@code 1h} or ISO-8601 ({@code PT2S}). */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Duration value = parseDuration(raw.get());
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigurationException("'" + key + "' must be a duration from " + min + " to " + max
                    + " (e.g. 250ms, 2s, 1m, PT2S), was '" + raw.get() + "'");
        }
        return value;
    }

    /** One of the allowed words, case-insensitive; returned as written in {@code allowed}. */
    public String oneOf(String key, List<String> allowed, String defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return allowed.stream()
                .filter(a -> a.equalsIgnoreCase(raw.get()))
                .findFirst()
                .orElseThrow(() -> new ConfigurationException(
                        "'" + key + "' must be one of " + allowed + ", was '" + raw.get() + "'"));
    }

    private static Duration parseDuration(String text) {
        Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return Duration.ofNanos(Math.round(millis * 1_000_000));
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The values with every secret hidden: safe for logs and reports. */
    public Map<String, String> redacted() {
        var copy = new TreeMap<String, String>();
        values.forEach((k, v) -> copy.put(k, Secrets.isSecretKey(k) ? Secrets.MASK : Secrets.redact(v)));
        return copy;
    }

    @Override
    public String toString() {
        return "BackendConfig" + redacted();
    }
}
