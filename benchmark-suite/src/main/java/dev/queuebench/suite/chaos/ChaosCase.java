package dev.queuebench.suite.chaos;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.workers.Consumers;
import dev.queuebench.suite.workers.WorkerProcesses;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    LEASE_TOO_SHORT("lease-too-short"),
    /** Runs only when named: it starts clusters, and would lengthen CI's chaos smoke run. */
    FAILOVER("failover");

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

    /** The cases that run when {@code -Dcases} names none: every case but failover. */
    public static List<String> defaultLabels() {
        return Arrays.stream(values()).filter(c -> c != FAILOVER).map(c -> c.label).toList();
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
        if (this == FAILOVER) {
            if (faults.isEmpty() || faults.get().clusterForms().isEmpty()) {
                return Optional.of("the " + backend + " backend declares no cluster form (a replicated configuration"
                        + " the suite can start) to fail over" + faults.flatMap(BackendFaults::noClusterFormReason)
                        .map(why -> ": " + why).orElse(""));
            }
            return faults.get().clusterUnavailableReason();
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
            case FAILOVER -> throw new IllegalStateException("failover runs per cluster form: runFailover");
        };
    }

    /**
     * The failover case on one cluster form: starts the cluster, opens a copy of the target on it, runs the steady
     * load with the leader SIGKILLed and a replica promoted, then removes the cluster. Loss is judged against what
     * the form declares; a job completed and then run again (an acknowledged completion the replica never got) is
     * at-least-once delivery and no violation; a run while another lease was valid is one where the form declares no
     * loss.
     */
    static CaseOutcome runFailover(BackendUnderTest target, BackendFaults faults, ClusterForm form) {
        ThrowawayCluster cluster = faults.startCluster(form);
        String described = cluster.describe();
        target.progress().println("chaos: started " + described);
        try (cluster) {
            BackendUnderTest copy = target.reopened(cluster.config());
            try {
                CaseOutcome outcome = new SteadyLoad(copy, FAILOVER, Consumers.processesFor(copy), LEASE)
                        .run(Fault.failover(cluster));
                return judged(outcome, form, cluster.describe());
            } finally {
                copy.backend().close();
            }
        } finally {
            target.progress().println("chaos: stopped and removed " + described);
        }
    }

    private static CaseOutcome judged(CaseOutcome outcome, ClusterForm form, String described) {
        Map<String, Object> details = new LinkedHashMap<>(outcome.details());
        String violation = CaseStatus.of(details) instanceof CaseStatus.Ran ran ? ran.violation() : null;
        long overlapping = details.get("overlapping_valid_leases") instanceof Number n ? n.longValue() : 0;
        if (violation == null && !form.lossAllowed() && overlapping > 0) {
            violation = overlapping + " job(s) ran while an earlier lease was still valid, although " + form.name()
                    + " declares no acknowledged write lost";
        }
        details.remove(CaseStatus.VIOLATION);
        new CaseStatus.Ran(form.lossAllowed(), violation).writeTo(details, true);
        details.put(ChaosReport.FORM, form.name());
        details.put("loss_note", form.lossNote());
        details.put("failover", String.format(Locale.ROOT, "%s; lost %d (%d never delivered); %d completed job(s)"
                + " came back; %.2f s without progress; %s s to 90 %% throughput; %s, then %s (%s ms)",
                form.description(), outcome.verdict().lost(), number(details, "lost_never_delivered"),
                number(details, "came_back_after_completion"), number(details, "no_progress_ms") / 1000.0,
                number(details, "recovery_ms") < 0 ? "never back" : String.format(Locale.ROOT, "%.2f",
                        number(details, "recovery_ms") / 1000.0),
                details.get("killed"), details.get("promoted"), details.get("promote_ms")));
        details.put("throwaway_server", described + "; started for this case alone and removed after it");
        return outcome.withDetails(details);
    }

    private static long number(Map<String, Object> details, String key) {
        return details.get(key) instanceof Number n ? n.longValue() : -1;
    }

    private SteadyLoad steady(BackendUnderTest target) {
        return new SteadyLoad(target, this, Consumers.processesFor(target), LEASE);
    }
}
