package dev.queuebench.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration key, declared once: its name, what it means, what it accepts, its default and whether its value
 * is a secret. A provider lists its keys ({@link QueueBackendProvider#configKeys()}); its configuration reads each
 * value through the same key ({@link BackendConfig#get(ConfigKey)}), and reports redact by the same declaration.
 *
 * @param <T> the type a value is read as
 */
public final class ConfigKey<T> {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private final String name;
    private final String description;
    private final T defaultValue;
    private final String accepts;
    private final Function<String, Optional<T>> parser;
    private final boolean secret;

    private ConfigKey(String name, String description, T defaultValue, String accepts,
            Function<String, Optional<T>> parser, boolean secret) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.defaultValue = defaultValue;
        this.accepts = accepts;
        this.parser = parser;
        this.secret = secret;
    }

    /** Any non-blank text; {@code defaultValue} may be null (the key is then optional or required). */
    public static ConfigKey<String> text(String name, String description, String defaultValue) {
        return new ConfigKey<>(name, description, defaultValue, "text", Optional::of, false);
    }

    /** Text matching {@code rule}, described to users as {@code accepts} (e.g. "1 to 64 of a-z 0-9 _"). */
    public static ConfigKey<String> matching(String name, String description, String defaultValue, Pattern rule,
            String accepts) {
        return new ConfigKey<>(name, description, defaultValue, accepts,
                raw -> Optional.of(raw).filter(v -> rule.matcher(v).matches()), false);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ConfigKey<Integer> integer(String name, String description, int defaultValue, int min, int max) {
        return new ConfigKey<>(name, description, defaultValue, "a whole number from " + min + " to " + max, raw -> {
            try {
                int value = Integer.parseInt(raw);
                return value >= min && value <= max ? Optional.of(value) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }, false);
    }

    /** A number from {@code min} to {@code max}. */
    public static ConfigKey<Double> decimal(String name, String description, double defaultValue, double min,
            double max) {
        return new ConfigKey<>(name, description, defaultValue, "a number from " + min + " to " + max, raw -> {
            try {
                double value = Double.parseDouble(raw);
                return value >= min && value <= max ? Optional.of(value) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }, false);
    }

    /** {@code true}/{@code false} (also yes/no, on/off). */
    public static ConfigKey<Boolean> bool(String name, String description, boolean defaultValue) {
        return new ConfigKey<>(name, description, defaultValue, "true or false",
                raw -> switch (raw.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> Optional.of(true);
                    case "false", "no", "off" -> Optional.of(false);
                    default -> Optional.empty();
                }, false);
    }

    /**
     * A duration from {@code min} to {@code max}, written {@code 250ms}, {@code 2s}, {@code 1.5m}, {@code 1h} or
     * ISO-8601.
     */
    public static ConfigKey<Duration> duration(String name, String description, Duration defaultValue, Duration min,
            Duration max) {
        return new ConfigKey<>(name, description, defaultValue,
                "a duration from " + min + " to " + max + " (e.g. 250ms, 2s, 1m, PT2S)",
                raw -> parseDuration(raw).filter(d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0), false);
    }

    /** One of {@code allowed}, case-insensitive; read as written in {@code allowed}. */
    public static ConfigKey<String> oneOf(String name, String description, List<String> allowed, String defaultValue) {
        List<String> words = List.copyOf(allowed);
        return new ConfigKey<>(name, description, defaultValue, "one of " + words,
                raw -> words.stream().filter(w -> w.equalsIgnoreCase(raw)).findFirst(), false);
    }

    /** The same key, its whole value hidden in logs and reports. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, description, defaultValue, accepts, parser, true);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The value used when the key is absent; empty when the key has none. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as users would write it, or null when there is none. */
    public String defaultText() {
        if (defaultValue instanceof Duration d) {
            return d.toMillis() % 1_000 != 0 || d.isZero() ? d.toMillis() + "ms"
                    : d.toSeconds() % 60 != 0 ? d.toSeconds() + "s"
                    : d.toMinutes() % 60 != 0 ? d.toMinutes() + "m" : d.toHours() + "h";
        }
        return defaultValue == null ? null : defaultValue.toString();
    }

    /** What a value must be, e.g. "a whole number from 1 to 200". */
    public String accepts() {
        return accepts;
    }

    public boolean isSecret() {
        return secret;
    }

    /** The value in {@code values} (blank counts as absent), else the default; null when neither exists. */
    public T read(Map<String, String> values) {
        return readIfPresent(values).orElse(defaultValue);
    }

    /** The value given in {@code values}, if any, checked; the default is not consulted. */
    public Optional<T> readIfPresent(Map<String, String> values) {
        String raw = values.get(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String trimmed = raw.trim();
        return Optional.of(parser.apply(trimmed).orElseThrow(() -> new ConfigurationException(
                "'" + name + "' must be " + accepts + ", was '" + (secret ? Secrets.MASK : Secrets.redact(trimmed))
                        + "'")));
    }

    /** The value to show for {@code raw} in logs and reports. */
    public String shown(String raw) {
        return secret ? Secrets.MASK : Secrets.redact(raw);
    }

    @Override
    public String toString() {
        return name;
    }

    private static Optional<Duration> parseDuration(String text) {
        Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return Optional.of(Duration.ofNanos(Math.round(millis * 1_000_000)));
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
