package dev.queuebench.faults;

import dev.queuebench.api.BackendUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A backend's server in a replicated form ({@link ClusterForm}), started for the chaos suite alone on free loopback
 * ports in temporary folders; {@link #close()} stops every node and removes every folder, and the nodes go when the
 * JVM exits even if nobody closes it. The failover case kills the leader and has a replica take over.
 */
public interface ThrowawayCluster extends AutoCloseable {
    /** The configuration the cluster was started in. */
    ClusterForm form();

    /**
     * The configuration values that point a backend at the cluster the way a production client connects to it (every
     * node listed, the client finding the leader itself), laid over the user's own.
     */
    Map<String, String> config();

    /** One line for the report: what runs where. */
    String describe();

    /** SIGKILLs every process of the current leader at once, as a crash of its machine would; says what it killed. */
    String killLeader();

    /**
     * Makes a replica the leader, as the cluster itself or an operator would; returns once it accepts writes, saying
     * what was promoted.
     */
    String promote();

    /** Stops every node and removes their folders. */
    @Override
    void close();

    /**
     * Returns once {@code ready} holds, asked every {@code poll}; throws {@link BackendUnavailableException} with
     * {@code failure}'s text, read then so that it can show what was not ready, when {@code timeout} passes first.
     */
    static void awaitReady(BooleanSupplier ready, Duration timeout, Duration poll, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new BackendUnavailableException(failure.get(), null);
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }
}
