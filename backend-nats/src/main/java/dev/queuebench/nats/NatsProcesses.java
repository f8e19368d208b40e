package dev.queuebench.nats;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.PortListeners;
import dev.queuebench.faults.ServerProcesses;

/**
 * The NATS server process doing a backend's work: the {@code nats-server} listening on the URL's first port (the
 * client protocol does not tell the server's process id). One process serves every client; a cluster's other
 * servers are not counted.
 */
public final class NatsProcesses implements ServerProcesses {
    @Override
    public String backend() {
        return NatsBackendProvider.NAME;
    }

    @Override
    public Pids serverPids(BackendConfig config) {
        NatsConfig nats = NatsConfig.from(config, new NatsBackendProvider().strategies());
        return Pids.wholeServer(PortListeners.pids(nats.port(), "server"), "nats-server");
    }
}
