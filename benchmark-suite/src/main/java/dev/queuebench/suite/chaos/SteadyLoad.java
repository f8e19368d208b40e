package dev.queuebench.suite.chaos;

import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.CaseStatus;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The steady-load driver most chaos cases run on: consumers ({@code processes} JVMs, or threads), an open-loop
 * producer at the scenario's rate for the scenario's seconds, the fault a quarter of the way in, then the drain and
 * the ledger check. Its record's details say {@code jobs_duplicated} (jobs redelivered after a lost lease) against
 * {@code duplicates_allowed} (jobs in flight during the fault: held when it began or claimed while it lasted), stale
 * completes refused and accepted (fencing) and {@code recovery_ms} ({@link RecoverySampler}).
 *
 * @param period every {@code period}-th job is poison (case poison) or slower than its lease (lease-too-short);
 *               0 for none
 */
record SteadyLoad(BackendUnderTest target, ChaosCase chaosCase, int processes, Duration lease, int period) {
    /** The cases' queue, before the run's tag ({@link BackendUnderTest#queue}). */
    private static final String QUEUE = "qb_chaos";
    private static final int POISON_MAX_ATTEMPTS = 3;
    /** The failover case counts throughput as back at 90 % of its mean before the leader died. */
    private static final double FAILOVER_RECOVERED_SHARE = 0.9;

    SteadyLoad(BackendUnderTest target, ChaosCase chaosCase, int processes, Duration lease) {
        this(target, chaosCase, processes, lease, 0);
    }

    /** The same load with every {@code period}-th job odd: poison, or slower than its lease. */
    SteadyLoad withOddJobs(int every) {
        return new SteadyLoad(target, chaosCase, processes, lease, every);
    }

    /** Runs the load with {@code fault} injected, or with none where the jobs themselves are the fault. */
    CaseOutcome run(Fault fault) {
        QueueBackend backend = target.backend();
        RunOptions options = target.options();
        int rate = rate(options.scenario());
        Duration duration = Duration.ofSeconds(options.durationSeconds().orElse(chaosCase == ChaosCase.FAILOVER
                ? failoverSeconds(options.scenario()) : seconds(options.scenario())));
        Duration faultAt = duration.dividedBy(4);
        int workers = options.singleWorkers();
        String queue = target.queue(QUEUE);
        boolean poison = chaosCase == ChaosCase.POISON;
        backend.purge(queue);
        Ledger ledger = new Ledger();
        LatencyRecorder latency = new LatencyRecorder();
        Map<String, Object> details = new LinkedHashMap<>();
        WorkerPool.LocalEvents events = new WorkerPool.LocalEvents(ledger, latency, target.progress());
        Payload.Behaviour odd = poison ? Payload.Behaviour.FAIL_ALWAYS : Payload.Behaviour.SLOW_ONCE;
        int maxAttempts = poison ? POISON_MAX_ATTEMPTS : 5;
        try (CaseMeters meters = new CaseMeters(target.registry())) {
            target.progress().begin(chaosCase.label, rate * duration.toMillis() / 1000);
            long start = System.nanoTime();
            // closed before its fencing counts are read: worker processes report them when they stop
            Consumers consumers = Consumers.inOtherJvms(target, processes)
                    ? WorkerProcesses.consume(target, List.of(queue), processes, workers, 1, Task.IO, lease, events)
                    : new WorkerPool(backend, List.of(queue), workers, 1, Task.IO, options.virtualThreads(), lease,
                            events);
            boolean failover = chaosCase == ChaosCase.FAILOVER;
            RecoverySampler sampler = failover ? new RecoverySampler(ledger, FAILOVER_RECOVERED_SHARE)
                    : new RecoverySampler(ledger);
            AtomicLong inFlight = new AtomicLong();
            AtomicReference<String> faultFailed = new AtomicReference<>();
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
                    try {
                        details.putAll(fault.inject(consumers));
                    } catch (RuntimeException e) {
                        faultFailed.set(e.toString()); // the load ran without its fault: the case must not pass
                    }
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
            long allowed = chaosCase == ChaosCase.LEASE_TOO_SHORT ? oddJobs : inFlight.get();
            details.put("rate_per_sec", rate);
            details.put("processes", processes);
            Consumers.describePlacement(consumers, details);
            details.put("lease_ms", lease.toMillis());
            if (fault != null) {
                details.put("fault_at_ms", faultAt.toMillis());
                details.put("in_flight_during_fault", inFlight.get());
                details.put("recovery_ms", sampler.recoveryMillis());
            }
            if (failover) {
                details.put("no_progress_ms", sampler.longestStallMillis());
                details.put("came_back_after_completion", ledger.cameBackCount());
                details.put("overlapping_valid_leases", ledger.overlappingCount());
                details.put("lost_never_delivered", ledger.neverStartedCount());
            }
            details.put("duplicates_allowed", allowed);
            details.put("overlapping_runs", verdict.duplicated());
            details.put("stale_completes_refused", consumers.refusedCompletes());
            details.put("stale_completes_accepted", consumers.staleCompletesAccepted());
            details.put("enqueue_errors", produced.errors());
            if (poison) {
                details.put("poison_jobs", oddJobs);
            }
            details.put("redelivered_beyond_allowance", Math.max(0, redelivered - allowed));
            String violation = faultFailed.get() != null ? "the fault could not be injected: " + faultFailed.get()
                    : violation(verdict, consumers, oddJobs);
            new CaseStatus.Ran(false, violation).writeTo(details, true);
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
    private String violation(Ledger.Verdict verdict, Consumers consumers, long oddJobs) {
        if (consumers.staleCompletesAccepted() > 0) {
            return consumers.staleCompletesAccepted() + " complete(s) accepted after the lease had expired";
        }
        if (chaosCase == ChaosCase.FAILOVER) {
            return null; // what a failover may break depends on the cluster form: the case judges it
        }
        if (verdict.duplicated() > 0) {
            return verdict.duplicated() + " job(s) ran again while an earlier lease was still valid or after they had"
                    + " been completed";
        }
        if (chaosCase == ChaosCase.POISON && verdict.dead() != oddJobs) {
            return verdict.dead() + " dead job(s), expected the " + oddJobs + " poison job(s)";
        }
        if (chaosCase == ChaosCase.LEASE_TOO_SHORT && consumers.refusedCompletes() == 0 && oddJobs > 0) {
            return "no stale complete was refused although " + oddJobs + " handler(s) outlasted their lease";
        }
        return null;
    }

    /** Jobs per second of the steady load. */
    private static int rate(Scenario scenario) {
        return switch (scenario) {
            case SMOKE -> 200;
            case QUICK, NETWORK -> 500;
            case DEFAULT, FULL -> 1_000;
        };
    }

    /** Seconds of steady load per case. */
    private static int seconds(Scenario scenario) {
        return switch (scenario) {
            case SMOKE -> 4;
            case QUICK, NETWORK -> 10;
            case DEFAULT -> 20;
            case FULL -> 60;
        };
    }

    /**
     * Seconds of steady load in the failover case: long enough for a baseline before the leader dies (a quarter in)
     * and for throughput to come back after a replica takes over.
     */
    private static int failoverSeconds(Scenario scenario) {
        return switch (scenario) {
            case SMOKE -> 12;
            case QUICK, NETWORK -> 20;
            case DEFAULT -> 30;
            case FULL -> 60;
        };
    }

    static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
