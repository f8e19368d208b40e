package dev.queuebench.suite.conformance;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.tck.QueueBackendTck;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The kit against whichever backend the launcher's configuration parameters name: the provider found by name
 * through {@code ServiceLoader}, the one strategy, and the configuration values. One class serves every backend, so
 * a new backend needs no code here. Run only by {@link KitLauncher}.
 */
@ExtendWith(ConfiguredKit.Configure.class)
class ConfiguredKit extends QueueBackendTck {
    static final String BACKEND = "queuebench.conformance.backend";
    static final String STRATEGY = "queuebench.conformance.strategy";
    /** A comma list of the configuration keys given, each value in {@link #VALUE} plus the key. */
    static final String KEYS = "queuebench.conformance.keys";
    static final String VALUE = "queuebench.conformance.value.";

    private QueueBackendProvider provider;
    private String strategy;
    private BackendConfig config;

    @Override
    protected QueueBackendProvider provider() {
        return provider;
    }

    @Override
    protected BackendConfig baseConfig() {
        return config;
    }

    /** The target's strategy only: the suite runs the kit once per backend/strategy. */
    @Override
    protected Stream<String> strategies() {
        return Stream.of(strategy);
    }

    /** The launcher parameters that make this kit open {@code backend} with {@code strategy} and {@code values}. */
    static Map<String, String> parameters(String backend, String strategy, Map<String, String> values) {
        Map<String, String> parameters = new TreeMap<>();
        parameters.put(BACKEND, backend);
        parameters.put(STRATEGY, strategy);
        parameters.put(KEYS, String.join(",", values.keySet()));
        values.forEach((key, value) -> parameters.put(VALUE + key, value));
        return parameters;
    }

    /** Gives each test instance the backend, strategy and configuration the launcher's parameters name. */
    static final class Configure implements TestInstancePostProcessor {
        @Override
        public void postProcessTestInstance(Object instance, ExtensionContext context) {
            ConfiguredKit kit = (ConfiguredKit) instance;
            kit.provider = QueueBackends.provider(required(context, BACKEND));
            kit.strategy = required(context, STRATEGY);
            Map<String, String> values = new TreeMap<>();
            Arrays.stream(context.getConfigurationParameter(KEYS).orElse("").split(","))
                    .filter(key -> !key.isEmpty())
                    .forEach(key -> values.put(key, required(context, VALUE + key)));
            kit.config = BackendConfig.of(values);
        }

        private static String required(ExtensionContext context, String key) {
            return context.getConfigurationParameter(key)
                    .orElseThrow(() -> new IllegalStateException("no " + key + " given to the kit"));
        }
    }
}
