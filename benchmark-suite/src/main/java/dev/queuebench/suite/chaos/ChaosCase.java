package dev.queuebench.suite.chaos;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.workers.Consumers;
import dev.queuebench.suite.workers.WorkerProcesses;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of chaos cases: each case's name (as {@code -Dcases} and the records write it), when it applies to a
 * backend and what it runs. Whether a backend has a server to fault or a writer to crash is the backend module's
 * own declaration ({@link BackendFaults}); no case names a backend.
 */
public enum ChaosCase {
    KILL_WORKER("kill-worker"),
    CONNECTION_KILL("connection-kill"),
    SERVER_PAUSE("server-pause"),
    SERVER_RESTART("server-restart"),
    SQLITE_CRASH("sqlite-crash"),
    POISON("poison"),
    LEASE_TOO_SHORT("lease-too-short");

    static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration SHORT_LEASE = Duration.ofMillis(500);
    private static final Duration PAUSE = Duration.ofSeconds(2);
    static final int POISON_PERIOD = 10;
    private static final int SLOW_PERIOD = 50;

    /** The case's name in options and records. */
    public final String label;

    ChaosCase(String label) {
        this.label = label;
    }

    /** Every case's name, in catalogue order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(c -> c.label).toList();
    }

    /** The case called {@code label}. */
    static ChaosCase of(String label) {
        return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst()
                .orElseThrow(() -> new ConfigurationException("no chaos case named '" + label + "'"));
    }

    /** True for the cases that fault a server the backend's module starts. */
    boolean needsServer() {
        return this == CONNECTION_KILL || this == SERVER_PAUSE || this == SERVER_RESTART;
    }

    /** Why this case does not apply to {@code target} (with the faults its module offers), or empty when it does. */
    Optional<String> skipReason(BackendUnderTest target, Optional<BackendFaults> faults) {
        String backend = target.name();
        if (this == KILL_WORKER && !WorkerProcesses.reachableFromOtherProcesses(target.backend())) {
            return Optional.of("the " + backend + " backend keeps its jobs in this JVM: a worker process cannot"
                    + " reach them");
        }
        if (needsServer()) {
            if (faults.isEmpty() || !faults.get().hasServer()) {
                return Optional.of("the " + backend + " backend has no server"
                        + (this == CONNECTION_KILL ? " connection" : ""));
            }
            return faults.get().unavailableReason();
        }
        if (this == SQLITE_CRASH && (faults.isEmpty() || !faults.get().hasWriterCrash())) {
            return Optional.of("the " + backend + " backend declares no writer crash: the case is for a backend whose"
                    + " database file a writer process killed mid-transaction may leave half-written");
        }
        return Optional.empty();
    }

    /** Runs the case on {@code target}; server cases on a throwaway server from {@code servers}. */
    CaseOutcome run(BackendUnderTest target, ThrowawayServers servers) {
        return switch (this) {
            case KILL_WORKER -> new SteadyLoad(target, this, Math.max(2, Consumers.processesFor(target)), LEASE)
                    .run(Fault.killWorkerHoldingLeases(LEASE));
            case CONNECTION_KILL -> servers.on(target, (server, copy) -> steady(copy)
                    .run(Fault.killConnections(server, copy.config())));
            case SERVER_PAUSE -> servers.on(target, (server, copy) -> steady(copy).run(Fault.pause(server, PAUSE)));
            case SERVER_RESTART -> servers.on(target, (server, copy) -> {
                CaseOutcome outcome = steady(copy).run(Fault.restart(server));
                Durability durability = copy.backend().capabilities().durability();
                boolean expected = durability == Durability.VOLATILE;
                Map<String, Object> details = new LinkedHashMap<>(outcome.details());
                String violation = CaseStatus.of(details) instanceof CaseStatus.Ran ran ? ran.violation() : null;
                new CaseStatus.Ran(expected, violation).writeTo(details, true);
                details.put("durability", durability.name());
                if (expected) {
                    details.put("loss_note", "the backend declares VOLATILE durability: a restart empties it, so"
                            + " jobs in it are lost by design, not by a bug");
                }
                return outcome.withDetails(details);
            });
            case SQLITE_CRASH -> WriterCrash.run(target, LEASE);
            case POISON -> steady(target).withOddJobs(POISON_PERIOD).run(null);
            case LEASE_TOO_SHORT -> new SteadyLoad(target, this, Consumers.processesFor(target), SHORT_LEASE)
                    .withOddJobs(SLOW_PERIOD).run(null);
        };
    }

    private SteadyLoad steady(BackendUnderTest target) {
        return new SteadyLoad(target, this, Consumers.processesFor(target), LEASE);
    }
}
