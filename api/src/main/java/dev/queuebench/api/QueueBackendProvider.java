package dev.queuebench.api;

import java.util.List;

/**
 * Creates backends of one kind. Registered in {@code META-INF/services/dev.queuebench.api.QueueBackendProvider} and
 * found by {@link QueueBackends} with {@link java.util.ServiceLoader}; needs a public no-argument constructor.
 */
public interface QueueBackendProvider {
    /** Short lower-case name users type, e.g. {@code postgres}. */
    String name();

    /** One line for {@code list}. */
    String description();

    /** Claim strategies, the default first; {@code strategy} in the configuration picks one. */
    List<String> strategies();

    /**
     * Every key {@link #create} reads (including {@code strategy}), each declared once with its type, default and
     * whether it is secret; any other key is rejected before create.
     */
    List<ConfigKey<?>> configKeys();

    /** Opens a backend; fails fast with {@link BackendUnavailableException} when its server cannot be reached. */
    QueueBackend create(BackendConfig config);
}
