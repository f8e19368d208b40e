package dev.queuebench.tck.selftest;

import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The kit against one variant, named by the launcher's configuration parameter {@value #VARIANT}; run only by
 * {@link KitRun} (its name keeps Surefire from running it on its own).
 */
@ExtendWith(VariantKit.PickVariant.class)
class VariantKit extends QueueBackendTck {
    static final String VARIANT = "queuebench.selftest.variant";

    private Variant variant;

    @Override
    protected QueueBackendProvider provider() {
        return variant.provider();
    }

    /** Gives each test instance the variant the launcher names. */
    static final class PickVariant implements TestInstancePostProcessor {
        @Override
        public void postProcessTestInstance(Object instance, ExtensionContext context) {
            String name = context.getConfigurationParameter(VARIANT)
                    .orElseThrow(() -> new IllegalStateException("no " + VARIANT + " given"));
            ((VariantKit) instance).variant = Catalogue.named(name);
        }
    }
}
