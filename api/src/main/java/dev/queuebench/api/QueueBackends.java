package dev.queuebench.api;

import java.util.Comparator;
import java.util.List;
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

    /** Rejects keys the provider does not declare and a strategy it does not offer, naming what it accepts. */
    public static void validate(QueueBackendProvider provider, BackendConfig config) {
        Set<String> known = provider.configKeys().stream().map(ConfigKey::name).collect(Collectors.toSet());
        for (String key : config.values().keySet()) {
            if (!known.contains(key)) {
                throw new ConfigurationException("unknown configuration key '" + key + "' for backend '"
                        + provider.name() + "'; accepted: " + known.stream().sorted().toList());
            }
        }
        config.oneOf(STRATEGY_KEY, provider.strategies(), provider.strategies().get(0));
    }

    /** The configuration key every provider declares for its strategies. */
    public static ConfigKey strategyKey(List<String> strategies) {
        return new ConfigKey(STRATEGY_KEY, "claim strategy, one of " + strategies, strategies.get(0));
    }
}
