package dev.queuebench.api;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds providers on the class path with {@link ServiceLoader} and opens backends by name. */
public final class QueueBackends {
    public static final String STRATEGY_KEY = "strategy";

    private QueueBackends() {}

    /** Every provider found through the context class loader, sorted by name. */
    public static List<QueueBackendProvider> providers() {
        return ServiceLoader.load(QueueBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(QueueBackendProvider::name))
                .toList();
    }

    public static List<String> names() {
        return providers().stream().map(QueueBackendProvider::name).toList();
    }

    /** The provider of that name, or a {@link ConfigurationException} that lists the names found. */
    public static QueueBackendProvider provider(String name) {
        List<QueueBackendProvider> all = providers();
        return all.stream()
                .filter(p -> p.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new ConfigurationException("unknown backend '" + name + "'; available: "
                        + (all.isEmpty() ? "none (no provider on the class path)"
                                : all.stream().map(QueueBackendProvider::name).collect(Collectors.joining(", ")))));
    }

    /** Checks every key and the strategy against the provider's declaration, then creates the backend. */
    public static QueueBackend open(String name, BackendConfig config) {
        QueueBackendProvider provider = provider(name);
        validate(provider, config);
        return provider.create(config);
    }

    /** Rejects keys the provider does not declare, values its keys do not accept and a strategy it does not offer. */
    public static void validate(QueueBackendProvider provider, BackendConfig config) {
        Set<String> known = provider.configKeys().stream().map(ConfigKey::name).collect(Collectors.toSet());
        for (String key : config.values().keySet()) {
            if (!known.contains(key)) {
                throw new ConfigurationException("unknown configuration key '" + key + "' for backend '"
                        + provider.name() + "'; accepted: " + known.stream().sorted().toList());
            }
        }
        config.get(strategyKey(provider.strategies()));
        provider.configKeys().forEach(config::get);
    }

    /** The configuration key every provider declares for its strategies; the first is the default. */
    public static ConfigKey<String> strategyKey(List<String> strategies) {
        return ConfigKey.oneOf(STRATEGY_KEY, "claim strategy, one of " + strategies, strategies, strategies.getFirst());
    }

    /** {@code config} as it may be shown in logs and reports, by the provider's declaration of its keys. */
    public static Map<String, String> redacted(QueueBackendProvider provider, BackendConfig config) {
        return config.redacted(provider.configKeys());
    }
}
