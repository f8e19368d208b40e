package dev.queuebench.nats;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/** The chaos suite's hold on NATS: a {@link ThrowawayNats} to pause, restart and cut connections on. */
public final class NatsFaults implements BackendFaults {
    @Override
    public String backend() {
        return NatsBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return ThrowawayNats.unavailableReason();
    }

    @Override
    public ThrowawayServer startServer() {
        return ThrowawayNats.start();
    }
}
