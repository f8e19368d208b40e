package dev.queuebench.suite.workers;

import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.BackendUnderTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The consumers of one case: a {@link WorkerPool} of threads in this process, or {@link WorkerProcesses} (the same
 * loop in other JVMs, on this host or on {@link Agent}s) when {@code -Dprocesses} asks for more than one process or
 * {@code -Dagents} names agents, and the backend can be reached from another process. Either way every handler run
 * and settlement reaches this process's {@link Ledger}.
 */
public interface Consumers extends AutoCloseable {
    /** The counts every kind of consumer keeps. */
    ConsumerCounts counts();

    /** CPU time and bytes allocated by the consumers' threads, complete once {@link #close()} returned. */
    ThreadCosts costs();

    /**
     * Handler runs and their summed wall time (the task plus the harness's bookkeeping around it), or
     * {@link HandlerTime#UNKNOWN} where they ran in other JVMs; complete once {@link #close()} returned.
     */
    default HandlerTime handlerTime() {
        return HandlerTime.UNKNOWN;
    }

    /** How many handler runs took how long in all, in ms. */
    record HandlerTime(long runs, double totalMs) {
        public static final HandlerTime UNKNOWN = new HandlerTime(0, 0);

        /** The mean run in ms; NaN when none is known. */
        public double meanMs() {
            return runs == 0 ? Double.NaN : totalMs / runs;
        }
    }

    /** Backend calls that threw or answered that a lease was lost. */
    default long errors() {
        return counts().errors();
    }

    /** The message of the first error, or null. */
    default String firstError() {
        return counts().firstError();
    }

    /** {@code complete} answers of false: a stale worker fenced off. */
    default long refusedCompletes() {
        return counts().refusedCompletes();
    }

    /** {@code complete} answers of true to a call made after the lease had expired: fencing that failed. */
    default long staleCompletesAccepted() {
        return counts().staleCompletesAccepted();
    }

    /** Stops claiming, lets each worker settle what it holds, and waits for every worker to end. */
    @Override
    void close();

    /**
     * Starts {@code workers} consumers of {@code queues} the way the run's options say: in {@code processes} JVMs
     * when more than one is asked for and the backend is not confined to this process, else as threads here;
     * claiming ahead as {@link dev.queuebench.suite.run.RunOptions#claimAheadFor} says for {@code task}.
     */
    static Consumers start(BackendUnderTest target, List<String> queues, int workers, int batch, Task task,
            Duration lease, WorkerPool.LocalEvents events) {
        int processes = processesFor(target);
        boolean claimAhead = target.options().claimAheadFor(task);
        if (inOtherJvms(target, processes)) {
            return WorkerProcesses.consume(target, queues, processes, workers, batch, task, claimAhead, lease, events);
        }
        return new WorkerPool(target.backend(), queues, workers, batch, task, target.options().virtualThreads(),
                claimAhead, lease, events);
    }

    /**
     * Worker processes this backend gets: 1 for a backend whose jobs live in this JVM (memory); with agents, at least
     * one an agent ({@code -Dprocesses} more are spread over them in turn).
     */
    static int processesFor(BackendUnderTest target) {
        if (!WorkerProcesses.reachableFromOtherProcesses(target.backend())) {
            return 1;
        }
        return Math.max(target.options().processes(), target.options().agents().size());
    }

    /** True when {@code processes} consumer processes for {@code target} are other JVMs (here or on agents). */
    static boolean inOtherJvms(BackendUnderTest target, int processes) {
        return processes > 1 || !target.options().agents().isEmpty()
                && WorkerProcesses.reachableFromOtherProcesses(target.backend());
    }

    /**
     * Puts where the {@code consumers} ran into a case's {@code details}: {@code agents} (each agent's address, host,
     * worker pid and measured clock offset) and {@code latency_clock}, when any ran on an agent.
     */
    static void describePlacement(Consumers consumers, Map<String, Object> details) {
        if (!consumers.placements().isEmpty()) {
            details.put("agents", consumers.placements());
            details.put("latency_clock", "the coordinator's System.nanoTime: each agent's handler start times are"
                    + " shifted by the offset measured at connect (shortest of 8 pings); ledger times are each"
                    + " host's wall clock");
        }
    }

    /** Where the consumers ran when not all on this host (agents' addresses and hosts), else empty. */
    default List<String> placements() {
        return List.of();
    }
}
