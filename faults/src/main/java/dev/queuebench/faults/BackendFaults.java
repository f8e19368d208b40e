package dev.queuebench.faults;

import dev.queuebench.api.QueueBackendProvider;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What the chaos suite may do to the servers of one kind of backend. A backend module that can start a server of its
 * own registers one in {@code META-INF/services/dev.queuebench.faults.BackendFaults}, beside its
 * {@link QueueBackendProvider}; the suite finds it by {@link #backend()} and never names a backend itself. Faults act
 * only on servers started through {@link #startServer()}, never on a server the suite did not start.
 */
public interface BackendFaults {
    /** The {@link QueueBackendProvider#name()} these faults belong to. */
    String backend();

    /** Why this host cannot start a throwaway server of this kind (binaries missing, wrong user), or empty. */
    Optional<String> unavailableReason();

    /** Starts a server on a free loopback port in a temporary folder; returns once it accepts connections. */
    ThrowawayServer startServer();

    /** The faults registered for {@code backend}, if its module offers any. */
    static Optional<BackendFaults> of(String backend) {
        return ServiceLoader.load(BackendFaults.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.backend().equalsIgnoreCase(backend))
                .findFirst();
    }
}
