package dev.queuebench.suite.chaos;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The throwaway server of one target's server cases, from the faults its backend module registers
 * ({@link BackendFaults#of}); started when a case first needs it and removed by {@link #close()} after the last.
 */
final class ThrowawayServers implements AutoCloseable {
    private final BackendUnderTest target;
    private final Optional<BackendFaults> faults;
    private ThrowawayServer server;

    ThrowawayServers(BackendUnderTest target) {
        this.target = target;
        this.faults = BackendFaults.of(target.name());
    }

    /** The faults the target's backend module offers, if any. */
    Optional<BackendFaults> faults() {
        return faults;
    }

    /** Runs {@code body} against a copy of the target opened on the throwaway server, closed after. */
    CaseOutcome on(BackendUnderTest target, BiFunction<ThrowawayServer, BackendUnderTest, CaseOutcome> body) {
        ThrowawayServer started = server();
        BackendUnderTest copy = target.reopened(started.config());
        try {
            CaseOutcome outcome = body.apply(started, copy);
            Map<String, Object> details = new LinkedHashMap<>(outcome.details());
            details.put("throwaway_server", started.describe() + "; started by the chaos suite for its server"
                    + " cases and removed after its last chaos case");
            return outcome.withDetails(details);
        } finally {
            copy.backend().close();
        }
    }

    private ThrowawayServer server() {
        if (server == null) {
            server = faults.orElseThrow().startServer();
            target.progress().println("chaos: started " + server.describe());
        }
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            String what = server.describe();
            server.close();
            server = null;
            target.progress().println("chaos: stopped and removed " + what);
        }
    }
}
