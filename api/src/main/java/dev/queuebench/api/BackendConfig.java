package dev.queuebench.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The immutable configuration of one backend: string values by key plus the meter registry it records to. Values are
 * read through the {@link ConfigKey} that declares them, which checks them and names the key in its error.
 */
public final class BackendConfig {
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

    public BackendConfig with(ConfigKey<?> key, String value) {
        return with(key.name(), value);
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

    /** The value {@code key} reads here (checked), else its default; null when it has neither. */
    public <T> T get(ConfigKey<T> key) {
        return key.read(values);
    }

    /** The value given for {@code key}, checked; empty when absent (its default is not consulted). */
    public <T> Optional<T> given(ConfigKey<T> key) {
        return key.readIfPresent(values);
    }

    /** The raw value of a key, trimmed; empty when absent or blank. */
    public Optional<String> raw(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * The values as they may be shown: keys {@code declared} secret are masked whole, passwords inside every other
     * value (URLs, query strings) are masked, and keys nobody declared are masked whole too.
     */
    public Map<String, String> redacted(Collection<? extends ConfigKey<?>> declared) {
        var copy = new TreeMap<String, String>();
        values.forEach((k, v) -> copy.put(k, declared.stream()
                .filter(key -> key.name().equals(k))
                .findFirst()
                .map(key -> key.shown(v))
                .orElse(Secrets.MASK)));
        return copy;
    }

    /** The keys only: without the declaration, no value can be shown safely. */
    @Override
    public String toString() {
        return "BackendConfig" + new TreeMap<>(values).keySet();
    }
}
