package dev.queuebench.faults;

import dev.queuebench.api.QueueBackendProvider;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What the chaos suite may do to the servers of one kind of backend. A backend module that can start a server of its
 * own registers one in {@code META-INF/services/dev.queuebench.faults.BackendFaults}, beside its
 * {@link QueueBackendProvider}; the suite finds it by {@link #backend()} and never names a backend itself. Faults act
 * only on servers started through {@link #startServer()}, never on a server the suite did not start.
 *
 * <p>Which chaos cases apply follows from two declarations: {@link #hasServer()} (connection-kill, server-pause and
 * server-restart run on a server from {@link #startServer()}) and {@link #hasWriterCrash()} (sqlite-crash: a writer
 * process SIGKILLed mid-transaction, then the backend reopened on the same storage). A backend without faults gets
 * neither; the memory backend registers none. The failover case runs on each of {@link #clusterForms()} (none by
 * default: the case then says the backend has no cluster form).
 */
public interface BackendFaults {
    /** The {@link QueueBackendProvider#name()} these faults belong to. */
    String backend();

    /** Why this host cannot start a throwaway server of this kind (binaries missing, wrong user), or empty. */
    Optional<String> unavailableReason();

    /** Starts a server on a free loopback port in a temporary folder; returns once it accepts connections. */
    ThrowawayServer startServer();

    /** True when the backend talks to a server that {@link #startServer()} can start (the default). */
    default boolean hasServer() {
        return true;
    }

    /**
     * True when the backend's committed jobs live in storage a second process opens with the same configuration, so
     * that a writer process killed mid-transaction, and the backend reopened on that storage, is a fault worth
     * injecting (SQLite's database file). False by default.
     */
    default boolean hasWriterCrash() {
        return false;
    }

    /**
     * The replicated configurations {@link #startCluster} can start, each with the loss it declares when the leader
     * dies; none by default.
     */
    default List<ClusterForm> clusterForms() {
        return List.of();
    }

    /**
     * One line on why the backend declares no cluster form although it has a server (what it would take, what is
     * therefore not measured), for the failover case's skipped record; empty by default.
     */
    default Optional<String> noClusterFormReason() {
        return Optional.empty();
    }

    /** Why this host cannot start a throwaway cluster of this kind, or empty; by default {@link #unavailableReason}. */
    default Optional<String> clusterUnavailableReason() {
        return unavailableReason();
    }

    /**
     * Starts a cluster in {@code form}, one of {@link #clusterForms()}, on free loopback ports in temporary folders;
     * returns once it accepts writes and its replicas follow the leader.
     */
    default ThrowawayCluster startCluster(ClusterForm form) {
        throw new UnsupportedOperationException("the " + backend() + " backend declares no cluster form");
    }

    /** The faults registered for {@code backend}, if its module offers any. */
    static Optional<BackendFaults> of(String backend) {
        return ServiceLoader.load(BackendFaults.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.backend().equalsIgnoreCase(backend))
                .findFirst();
    }
}
