package dev.queuebench.tck.selftest;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.memory.MemoryBackendProvider;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * One broken backend: the reference backend with one defect, named for it, and the kit clauses (test method
 * names) that must fail it.
 *
 * @param configure changes the configuration the kit passes before the reference backend reads it
 * @param wrap      decorates the reference backend (and may read the configuration, e.g. its meter registry)
 */
record Variant(String name, String defect, Set<String> caughtBy, UnaryOperator<BackendConfig> configure,
        BiFunction<QueueBackend, BackendConfig, QueueBackend> wrap) {

    /** A variant that decorates the reference backend. */
    static Variant decorated(String name, String defect, UnaryOperator<QueueBackend> wrap, String... caughtBy) {
        return new Variant(name, defect, Set.of(caughtBy), UnaryOperator.identity(), (q, config) -> wrap.apply(q));
    }

    /** A variant that decorates the reference backend and reads the configuration. */
    static Variant decorated(String name, String defect, BiFunction<QueueBackend, BackendConfig, QueueBackend> wrap,
            String... caughtBy) {
        return new Variant(name, defect, Set.of(caughtBy), UnaryOperator.identity(), wrap);
    }

    /** A variant that is the reference backend under a changed configuration. */
    static Variant configured(String name, String defect, UnaryOperator<BackendConfig> configure,
            String... caughtBy) {
        return new Variant(name, defect, Set.of(caughtBy), configure, (q, config) -> q);
    }

    /** The unmodified reference backend. */
    static Variant reference() {
        return new Variant("Reference", "none", Set.of(), UnaryOperator.identity(), (q, config) -> q);
    }

    /** A provider that opens this variant; it calls itself {@code memory}, as its meters are tagged. */
    QueueBackendProvider provider() {
        MemoryBackendProvider reference = new MemoryBackendProvider();
        return new QueueBackendProvider() {
            @Override
            public String name() {
                return reference.name();
            }

            @Override
            public String description() {
                return "the reference backend with one defect: " + defect;
            }

            @Override
            public List<String> strategies() {
                return reference.strategies();
            }

            @Override
            public List<ConfigKey<?>> configKeys() {
                return reference.configKeys();
            }

            @Override
            public QueueBackend create(BackendConfig config) {
                BackendConfig changed = configure.apply(config);
                return wrap.apply(reference.create(changed), changed);
            }
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
