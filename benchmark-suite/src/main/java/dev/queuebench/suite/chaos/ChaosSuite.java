package dev.queuebench.suite.chaos;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.workers.Consumers;
import dev.queuebench.suite.workers.LatencyRecorder;
import dev.queuebench.suite.workers.Payload;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workers.WorkerPool;
import dev.queuebench.suite.workers.WorkerProcesses;
import dev.queuebench.suite.workload.CaseMeters;
import dev.queuebench.suite.workload.OpenLoopProducer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Chaos: faults under steady load, each case ending with the ledger check. An open-loop producer enqueues at a fixed
 * rate while consumers drain; a quarter of the way in the case injects its fault; afterwards every enqueued job must
 * be completed (or dead, for poison). Each record says in its details: {@code loss_expected} (true only where the
 * backend's declared durability allows a loss), {@code jobs_duplicated} (jobs redelivered after a lost lease) against
 * {@code duplicates_allowed} (jobs in flight during the fault: held when it began or claimed while it lasted), stale
 * completes refused and accepted (fencing), {@code recovery_ms} (from the fault's start until a window after it
 * completes {@value #RECOVERED_SHARE} of the rate before it) and the throwaway server it used. Server-level faults act
 * only on servers this suite starts itself ({@link ThrowawayPostgres}, {@link ThrowawayRedis}); a case that does not
 * apply to a backend is recorded as skipped with the reason.
 */
public final class ChaosSuite {
    public static final String NAME = "chaos";
    public static final List<String> CASES = List.of("kill-worker", "connection-kill", "server-pause",
            "server-restart", "sqlite-crash", "poison", "lease-too-short");
    /** Key in a record's details when the case found a violation (a stale complete accepted, too many duplicates). */
    public static final String VIOLATION = "violation";
    /** Key in a record's details naming why the case does not apply to the backend. */
    public static final String SKIPPED = "skipped";

    /** The cases' queue, before the run's tag ({@link BackendUnderTest#queue}). */
    private static final String QUEUE = "qb_chaos";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration SHORT_LEASE = Duration.ofMillis(500);
    private static final Duration PAUSE = Duration.ofSeconds(2);
    private static final long WINDOW_MILLIS = 250;
    private static final double RECOVERED_SHARE = 0.8;
    private static final int POISON_PERIOD = 10;
    private static final int POISON_MAX_ATTEMPTS = 3;
    private static final int SLOW_PERIOD = 50;

    /** A fault injected while the load runs; returns what the case should report about it. */
    private interface Fault {
        Map<String, Object> inject(Consumers consumers);
    }

    /**
     * The chosen chaos cases for {@code target}, not yet run; throwaway servers start with the first case that needs
     * one and are removed after the last case. Faults test the backend, not its claim strategy: the cases run on the
     * backend's default strategy (or the one {@code -Dstrategy} names), and on no other.
     */
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        String chosen = target.options().strategy().orElse(QueueBackends.provider(target.name()).strategies().getFirst());
        if (!target.strategy().equals(chosen)) {
            return List.of();
        }
        Servers servers = new Servers(target);
        List<String> names = target.options().chaosCases();
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        for (String name : names) {
            boolean last = name.equals(names.getLast());
            cases.add(() -> {
                try {
                    return runCase(target, name, servers);
                } finally {
                    if (last) {
                        servers.close();
                    }
                }
            });
        }
        return cases;
    }

    private ResultRecord runCase(BackendUnderTest target, String name, Servers servers) {
        int workers = target.options().singleWorkers();
        CaseSpec spec = new CaseSpec(NAME, name, workers, 1, Task.IO.label(), Map.of("cases", name,
                "workers", Integer.toString(workers)));
        Optional<String> skip = skipReason(target, name);
        if (skip.isPresent()) {
            return target.runCase(spec, 1, () -> skipped(skip.get()));
        }
        return target.runCase(spec, 1, () -> switch (name) {
            case "kill-worker" -> steadyLoad(target, name, Math.max(2, Consumers.processesFor(target)), LEASE, 0,
                    consumers -> killWorkerHoldingLeases((WorkerProcesses) consumers));
            case "connection-kill" -> onThrowaway(target, servers, name, (server, copy) ->
                    steadyLoad(copy, name, Consumers.processesFor(copy), LEASE, 0, consumers -> Map.of(
                            "connections_killed", server instanceof ThrowawayPostgres pg
                                    ? pg.terminateConnections(applicationName(copy.config()))
                                    : ((ThrowawayRedis) server).killClients(clientName(copy.config())))));
            case "server-pause" -> onThrowaway(target, servers, name, (server, copy) ->
                    steadyLoad(copy, name, Consumers.processesFor(copy), LEASE, 0, consumers -> {
                        server.pause();
                        try {
                            LockSupport.parkNanos(PAUSE.toNanos());
                        } finally {
                            server.resume();
                        }
                        return Map.of("pause_ms", PAUSE.toMillis());
                    }));
            case "server-restart" -> onThrowaway(target, servers, name, (server, copy) -> {
                CaseOutcome outcome = steadyLoad(copy, name, Consumers.processesFor(copy), LEASE, 0, consumers -> {
                    server.restart();
                    return Map.of("restarted", true);
                });
                boolean expected = copy.backend().capabilities().durability() == Durability.VOLATILE;
                Map<String, Object> details = new LinkedHashMap<>(outcome.details());
                details.put("loss_expected", expected);
                details.put("durability", copy.backend().capabilities().durability().name());
                if (expected) {
                    details.put("loss_note", "the backend declares VOLATILE durability (Redis without persistence):"
                            + " a restart empties it, so jobs in it are lost by design, not by a bug");
                }
                return outcome.withDetails(details);
            });
            case "sqlite-crash" -> sqliteCrash(target);
            case "poison" -> steadyLoad(target, name, Consumers.processesFor(target), LEASE, POISON_PERIOD, null);
            case "lease-too-short" ->
                    steadyLoad(target, name, Consumers.processesFor(target), SHORT_LEASE, SLOW_PERIOD, null);
            default -> throw new IllegalArgumentException("no chaos case named " + name);
        });
    }

    /** SIGKILLs worker process 0 once it holds a lease (waiting up to a lease for one). */
    private static Map<String, Object> killWorkerHoldingLeases(WorkerProcesses processes) {
        long deadline = System.nanoTime() + LEASE.toNanos();
        while (processes.holding(0) == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        long pid = processes.pid(0);
        long held = processes.holding(0);
        processes.kill(0);
        return Map.of("killed_pid", pid, "leases_held_by_killed_worker", held);
    }

    /** Why {@code name} does not apply to this backend, or empty when it does. */
    private static Optional<String> skipReason(BackendUnderTest target, String name) {
        String backend = target.name();
        boolean inProcess = !WorkerProcesses.reachableFromOtherProcesses(target.backend());
        boolean server = backend.equals("postgres") || backend.equals("redis");
        return Optional.ofNullable(switch (name) {
            case "kill-worker" -> inProcess ? "the " + backend + " backend keeps its jobs in this JVM: a worker"
                    + " process cannot reach them" : null;
            case "connection-kill", "server-pause", "server-restart" -> !server
                    ? "the " + backend + " backend has no server"
                            + (name.equals("connection-kill") ? " connection" : "")
                    : backend.equals("postgres") ? ThrowawayPostgres.unavailableReason().orElse(null)
                    : ThrowawayRedis.unavailableReason().orElse(null);
            case "sqlite-crash" -> backend.equals("sqlite") ? null : "only for sqlite (a writer process killed"
                    + " mid-transaction on the database file)";
            default -> null;
        });
    }

    /**
     * The case shape: consumers ({@code processes} JVMs, or threads), an open-loop producer at the scenario's rate
     * for the scenario's seconds, the fault at a quarter of the way, then the drain and the ledger check.
     *
     * @param period every {@code period}-th job is poison (case poison) or slower than its lease (lease-too-short)
     * @param fault  the fault, or null where the jobs themselves are the fault
     */
    private static CaseOutcome steadyLoad(BackendUnderTest target, String name, int processes, Duration lease,
            int period, Fault fault) {
        QueueBackend backend = target.backend();
        RunOptions options = target.options();
        int rate = rate(options.scenario());
        Duration duration = Duration.ofSeconds(options.durationSeconds().orElse(seconds(options.scenario())));
        Duration faultAt = duration.dividedBy(4);
        int workers = options.singleWorkers();
        String queue = target.queue(QUEUE);
        backend.purge(queue);
        Ledger ledger = new Ledger();
        LatencyRecorder latency = new LatencyRecorder();
        Map<String, Object> details = new LinkedHashMap<>();
        WorkerPool.LocalEvents events = new WorkerPool.LocalEvents(ledger, latency, target.progress());
        Payload.Behaviour odd = name.equals("poison") ? Payload.Behaviour.FAIL_ALWAYS : Payload.Behaviour.SLOW_ONCE;
        int maxAttempts = name.equals("poison") ? POISON_MAX_ATTEMPTS : 5;
        try (CaseMeters meters = new CaseMeters(target.registry())) {
            target.progress().begin(name, rate * duration.toMillis() / 1000);
            long start = System.nanoTime();
            // closed before its fencing counts are read: worker processes report them when they stop
            Consumers consumers = processes > 1
                    ? WorkerProcesses.consume(target, List.of(queue), processes, workers, 1, Task.IO, lease, events)
                    : new WorkerPool(backend, List.of(queue), workers, 1, Task.IO, options.virtualThreads(), lease,
                            events);
            Sampler sampler = new Sampler(ledger);
            AtomicLong inFlight = new AtomicLong();
            OpenLoopProducer.Outcome produced;
            try (consumers) {
                Thread faulter = Thread.ofPlatform().name("qb-chaos-fault").start(() -> {
                    if (fault == null) {
                        return; // the case's jobs are the fault (poison, slow handlers)
                    }
                    LockSupport.parkNanos(faultAt.toNanos());
                    Instant from = Instant.now();
                    long held = ledger.inFlightCount();
                    long faultStart = System.nanoTime();
                    sampler.faultAt(faultStart);
                    details.putAll(fault.inject(consumers));
                    sampler.faultEnded(System.nanoTime());
                    inFlight.set(held + ledger.startedBetween(from, Instant.now()));
                    details.put("fault_ms", (System.nanoTime() - faultStart) / 1_000_000);
                });
                produced = new OpenLoopProducer(backend, queue, rate, options.payloadBytes(), ledger,
                        i -> period > 0 && i % period == 0 ? odd : Payload.Behaviour.SUCCEED, maxAttempts)
                        .run(duration);
                join(faulter);
                Drain.awaitDrained(backend, List.of(queue), ledger);
            } finally {
                sampler.stop();
            }
            long elapsed = Math.max(1, System.nanoTime() - start);
            Ledger.Verdict verdict = Drain.verdict(backend, List.of(queue), ledger, lease);
            backend.purge(queue);
            long redelivered = ledger.redeliveredCount();
            long oddJobs = period == 0 ? 0 : (verdict.enqueued() + period - 1) / period;
            long allowed = name.equals("lease-too-short") ? oddJobs : inFlight.get();
            details.put("rate_per_sec", rate);
            details.put("processes", processes);
            details.put("lease_ms", lease.toMillis());
            if (fault != null) {
                details.put("fault_at_ms", faultAt.toMillis());
                details.put("in_flight_during_fault", inFlight.get());
                details.put("recovery_ms", sampler.recoveryMillis());
            }
            details.put("duplicates_allowed", allowed);
            details.put("overlapping_runs", verdict.duplicated());
            details.put("stale_completes_refused", consumers.refusedCompletes());
            details.put("stale_completes_accepted", consumers.staleCompletesAccepted());
            details.put("enqueue_errors", produced.errors());
            details.put("loss_expected", false);
            if (name.equals("poison")) {
                details.put("poison_jobs", oddJobs);
            }
            details.put("redelivered_beyond_allowance", Math.max(0, redelivered - allowed));
            String violation = violation(name, verdict, consumers, oddJobs);
            if (violation != null) {
                details.put(VIOLATION, violation);
            }
            String firstError = produced.firstError() != null ? produced.firstError() : consumers.firstError();
            Ledger.Verdict counted = new Ledger.Verdict(verdict.enqueued(), verdict.completed(), verdict.dead(),
                    verdict.lost(), redelivered, verdict.lostSample(), verdict.unconfirmed(), verdict.lostFates());
            return new CaseOutcome(elapsed / 1_000_000, verdict.completed() * 1e9 / elapsed, counted,
                    latency.summary(), meters.claimConflicts(), meters.claims(), meters.lockErrors(),
                    consumers.errors() + produced.errors(), firstError, meters.operations(), details, null);
        }
    }

    /**
     * What broke a rule the case checks beyond loss, or null. Redeliveries beyond the allowance are reported
     * ({@code redelivered_beyond_allowance}) but are no violation: a connection broken by the fault can still fail a
     * later acknowledgement, and a redelivery after a lost lease is at-least-once delivery working. A run while
     * another lease was valid, or a stale complete accepted, is a violation.
     */
    private static String violation(String name, Ledger.Verdict verdict, Consumers consumers, long oddJobs) {
        if (consumers.staleCompletesAccepted() > 0) {
            return consumers.staleCompletesAccepted() + " complete(s) accepted after the lease had expired";
        }
        if (verdict.duplicated() > 0) {
            return verdict.duplicated() + " job(s) ran while an earlier lease was still valid";
        }
        if (name.equals("poison") && verdict.dead() != oddJobs) {
            return verdict.dead() + " dead job(s), expected the " + oddJobs + " poison job(s)";
        }
        if (name.equals("lease-too-short") && consumers.refusedCompletes() == 0 && oddJobs > 0) {
            return "no stale complete was refused although " + oddJobs + " handler(s) outlasted their lease";
        }
        return null;
    }

    /**
     * sqlite-crash: a writer process enqueues batches in a loop and is SIGKILLed mid-transaction; the database is
     * then opened again (a new backend on the same file) and drained: every id whose enqueue returned must be there.
     */
    private static CaseOutcome sqliteCrash(BackendUnderTest target) {
        String queue = target.queue(QUEUE);
        target.backend().purge(queue);
        Ledger ledger = new Ledger();
        LatencyRecorder latency = new LatencyRecorder();
        WorkerPool.LocalEvents events = new WorkerPool.LocalEvents(ledger, latency, target.progress());
        Map<String, Object> details = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (WorkerProcesses writer = WorkerProcesses.produce(target, queue, 50, events)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ledger.enqueuedCount() < 1_000 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(5_000_000);
            }
            details.put("killed_pid", writer.pid(0));
            writer.kill(0);
        }
        details.put("acknowledged_before_kill", ledger.enqueuedCount());
        BackendUnderTest reopened = reopen(target, Map.of());
        try (CaseMeters meters = new CaseMeters(reopened.registry())) {
            long drainStart = System.nanoTime();
            WorkerPool pool = new WorkerPool(reopened.backend(), List.of(queue), target.options().singleWorkers(),
                    Scenario.DEFAULT_BATCH, Task.NOOP, false, LEASE, events);
            try (pool) {
                Drain.awaitDrained(reopened.backend(), List.of(queue), ledger);
            }
            long drainNanos = Math.max(1, System.nanoTime() - drainStart);
            Ledger.Verdict verdict = Drain.verdict(reopened.backend(), List.of(queue), ledger, LEASE);
            reopened.backend().purge(queue);
            details.put("reopened_cleanly", true);
            details.put("committed_beyond_acknowledged", verdict.completed() - (verdict.enqueued() - verdict.lost()));
            details.put("recovery_ms", (System.nanoTime() - start) / 1_000_000);
            details.put("loss_expected", false);
            return new CaseOutcome(drainNanos / 1_000_000, verdict.completed() * 1e9 / drainNanos, verdict,
                    latency.summary(), meters.claimConflicts(), meters.claims(), meters.lockErrors(), pool.errors(),
                    pool.firstError(), meters.operations(), details, null);
        } finally {
            reopened.backend().close();
        }
    }

    /** Runs {@code body} against a copy of the backend opened on the case's throwaway server, closed after. */
    private static CaseOutcome onThrowaway(BackendUnderTest target, Servers servers, String name,
            java.util.function.BiFunction<ThrowawayServer, BackendUnderTest, CaseOutcome> body) {
        ThrowawayServer server = servers.get();
        BackendUnderTest copy = reopen(target, Map.of("url", server.url()));
        try {
            CaseOutcome outcome = body.apply(server, copy);
            Map<String, Object> details = new LinkedHashMap<>(outcome.details());
            details.put("throwaway_server", server.describe() + "; started by the chaos suite for its server"
                    + " cases and removed after its last chaos case");
            return outcome.withDetails(details);
        } finally {
            copy.backend().close();
        }
    }

    /** The same backend opened again with {@code overrides}, recording to a fresh registry. */
    private static BackendUnderTest reopen(BackendUnderTest target, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>(target.config().values());
        values.putAll(overrides);
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        BackendConfig config = BackendConfig.of(values).withMeterRegistry(registry);
        QueueBackend backend = QueueBackends.open(target.name(), config);
        return new BackendUnderTest(backend, registry, target.options(), target.progress(), target.queueTag(),
                config);
    }

    /** The application_name the PostgreSQL backend gives its connections ({@code queuebench/<schema>}). */
    private static String applicationName(BackendConfig config) {
        return "queuebench/" + config.raw("schema").orElse("queuebench");
    }

    /** The CLIENT SETNAME the Redis backend gives its connections. */
    private static String clientName(BackendConfig config) {
        return config.raw("clientName").orElse("queuebench");
    }

    private static CaseOutcome skipped(String reason) {
        return new CaseOutcome(0, 0, new Ledger.Verdict(0, 0, 0, 0, 0, List.of()),
                Latency.NONE, 0, 0, 0, 0, null, Map.of(), Map.of(SKIPPED, reason), null);
    }

    /** Jobs per second of the steady load. */
    static int rate(Scenario scenario) {
        return switch (scenario) {
            case SMOKE -> 200;
            case QUICK -> 500;
            case DEFAULT, FULL -> 1_000;
        };
    }

    /** Seconds of steady load per case. */
    static int seconds(Scenario scenario) {
        return switch (scenario) {
            case SMOKE -> 4;
            case QUICK -> 10;
            case DEFAULT -> 20;
            case FULL -> 60;
        };
    }

    /** The chaos section of the markdown report: one row per case and backend/strategy. */
    public static List<String> markdown(List<ResultRecord> records) {
        List<ResultRecord> cases = records.stream().filter(r -> r.suite().equals(NAME)).toList();
        if (cases.isEmpty()) {
            return List.of();
        }
        List<String> md = new ArrayList<>();
        md.add("**Chaos** (faults under steady load; duplicates are jobs redelivered after a lost lease, expected up"
                + " to the jobs in flight during the fault; a run while another lease was valid is a violation):");
        md.add("");
        md.add("| case | backend | jobs | completed | dead | lost | loss expected | duplicated (allowed) | stale"
                + " completes refused / accepted | recovery | p99 / max | notes |");
        md.add("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
        for (ResultRecord r : cases) {
            Map<String, Object> d = r.details();
            if (d.containsKey(SKIPPED)) {
                md.add("| " + r.caseName() + " | " + r.backend() + "/" + r.strategy() + " |" + " – |".repeat(9)
                        + " skipped: " + d.get(SKIPPED) + " |");
                continue;
            }
            List<String> notes = new ArrayList<>();
            if (d.get("completed_unconfirmed") instanceof Number n && n.longValue() > 0) {
                notes.add(n + " job(s) completed_unconfirmed: complete sent, answer lost, then found gone from the"
                        + " backend job by job");
            }
            for (String key : List.of(VIOLATION, BackendUnderTest.COULD_NOT_RUN, "loss_note", "throwaway_server")) {
                if (d.containsKey(key)) {
                    notes.add((key.equals(VIOLATION) ? "**VIOLATION** " : "") + d.get(key));
                }
            }
            md.add(String.format(Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %d | %s | %d (%s) | %s / %s | %s ms | %.1f / %.1f ms | %s |",
                    r.caseName(), r.backend() + "/" + r.strategy(), r.jobsEnqueued(), r.jobsCompleted(),
                    r.jobsDead(), r.jobsLost(), d.getOrDefault("loss_expected", false), r.jobsDuplicated(),
                    d.getOrDefault("duplicates_allowed", "–"),
                    d.getOrDefault("stale_completes_refused", "–"), d.getOrDefault("stale_completes_accepted", "–"),
                    d.getOrDefault("recovery_ms", "–"), r.latencyMs().p99(), r.latencyMs().max(),
                    String.join("; ", notes)));
        }
        md.add("");
        return md;
    }

    /** True when a chaos record's loss is allowed by the backend's declared durability. */
    public static boolean lossExpected(ResultRecord record) {
        return record.suite().equals(NAME) && Boolean.TRUE.equals(record.details().get("loss_expected"));
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Samples the ledger's settled count every {@value #WINDOW_MILLIS} ms. Recovery is the time from the fault's start
     * to the end of the first window, begun after the fault ended, whose completions reach {@value #RECOVERED_SHARE}
     * of the mean window before the fault.
     */
    private static final class Sampler {
        private final Ledger ledger;
        private final List<long[]> samples = new ArrayList<>();
        private final Thread thread;
        private volatile long faultNanos = -1;
        private volatile long faultEndNanos = -1;
        private volatile boolean running = true;

        Sampler(Ledger ledger) {
            this.ledger = ledger;
            this.thread = Thread.ofPlatform().name("qb-chaos-sampler").daemon(true).start(this::sample);
        }

        void faultAt(long nanos) {
            faultNanos = nanos;
        }

        void faultEnded(long nanos) {
            faultEndNanos = nanos;
        }

        void stop() {
            running = false;
            join(thread);
        }

        private void sample() {
            while (running) {
                synchronized (samples) {
                    samples.add(new long[] {System.nanoTime(), ledger.settledCount()});
                }
                LockSupport.parkNanos(WINDOW_MILLIS * 1_000_000);
            }
        }

        /** Milliseconds from the fault to the first recovered window, or -1 when there was no fault or no recovery. */
        long recoveryMillis() {
            List<long[]> copy;
            synchronized (samples) {
                copy = new ArrayList<>(samples);
            }
            long fault = faultNanos;
            long end = faultEndNanos;
            if (fault < 0 || end < 0) {
                return -1;
            }
            long before = 0;
            int windows = 0;
            for (int i = 1; i < copy.size() && copy.get(i)[0] <= fault; i++) {
                before += copy.get(i)[1] - copy.get(i - 1)[1];
                windows++;
            }
            double baseline = windows == 0 ? 0 : (double) before / windows;
            for (int i = 1; i < copy.size(); i++) {
                if (copy.get(i - 1)[0] >= end && copy.get(i)[1] - copy.get(i - 1)[1] >= RECOVERED_SHARE * baseline) {
                    return Math.max(0, (copy.get(i)[0] - fault) / 1_000_000);
                }
            }
            return -1;
        }
    }

    /** The throwaway server of this backend's server cases, started when first needed and removed at the end. */
    private static final class Servers implements AutoCloseable {
        private final BackendUnderTest target;
        private ThrowawayServer server;

        Servers(BackendUnderTest target) {
            this.target = target;
        }

        ThrowawayServer get() {
            if (server == null) {
                server = target.name().equals("postgres") ? ThrowawayPostgres.start() : ThrowawayRedis.start();
                target.progress().println("chaos: started " + server.describe());
            }
            return server;
        }

        @Override
        public void close() {
            if (server != null) {
                String what = server.describe();
                server.close();
                target.progress().println("chaos: stopped and removed " + what);
            }
        }
    }
}
