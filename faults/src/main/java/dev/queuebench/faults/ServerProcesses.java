package dev.queuebench.faults;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which operating-system processes of its server serve a backend, so the suite can read their CPU time and resident
 * memory from {@code /proc} and tell what each job costs on the server. A backend module that talks to a server
 * registers one in {@code META-INF/services/dev.queuebench.faults.ServerProcesses}, beside its
 * {@link QueueBackendProvider}. Kept apart from {@link BackendFaults}: those act on a throwaway server the suite
 * starts, this one looks (read-only) at whatever server the run is using, shared or not.
 */
public interface ServerProcesses {
    /** The {@link QueueBackendProvider#name()} this belongs to. */
    String backend();

    /**
     * The server's process ids, as the server itself reports them, that do the work of a backend opened with
     * {@code config}; the ids mean something on this host only when the server runs here, which the suite checks
     * against {@link Pids#command()}.
     *
     * @throws RuntimeException when the server cannot be asked
     */
    Pids serverPids(BackendConfig config);

    /**
     * Process ids and the name they run under ({@code /proc/<pid>/comm}, e.g. {@code postgres}), and what the ids
     * cover, for the report.
     */
    record Pids(List<Long> pids, String command, String covers) {
        public Pids {
            pids = List.copyOf(pids);
        }

        /** The ids of a server that serves every client from one process running as {@code command}. */
        public static Pids wholeServer(List<Long> pids, String command) {
            return new Pids(pids, command, "the whole server process (every client of it)");
        }
    }

    /** The inspection registered for {@code backend}, if its module offers one. */
    static Optional<ServerProcesses> of(String backend) {
        return ServiceLoader.load(ServerProcesses.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.backend().equalsIgnoreCase(backend))
                .findFirst();
    }
}
