package dev.queuebench.suite.chaos;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import dev.queuebench.suite.workers.Consumers;
import dev.queuebench.suite.workers.WorkerProcesses;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** A fault injected while the steady load runs; returns what the case should report about it. */
interface Fault {
    Map<String, Object> inject(Consumers consumers);

    /** SIGKILLs worker process 0 once it holds a lease (waiting up to {@code lease} for one). */
    static Fault killWorkerHoldingLeases(Duration lease) {
        return consumers -> {
            WorkerProcesses processes = (WorkerProcesses) consumers;
            long deadline = System.nanoTime() + lease.toNanos();
            while (processes.holding(0) == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            long pid = processes.pid(0);
            long held = processes.holding(0);
            processes.kill(0);
            return Map.of("killed_pid", pid, "leases_held_by_killed_worker", held);
        };
    }

    /** Ends, from the server's side, every connection of the backend opened with {@code config}. */
    static Fault killConnections(ThrowawayServer server, BackendConfig config) {
        return consumers -> Map.of("connections_killed", server.killConnections(config));
    }

    /** SIGSTOPs the server for {@code pause}, then SIGCONTs it. */
    static Fault pause(ThrowawayServer server, Duration pause) {
        return consumers -> {
            server.pause();
            try {
                LockSupport.parkNanos(pause.toNanos());
            } finally {
                server.resume();
            }
            return Map.of("pause_ms", pause.toMillis());
        };
    }

    /** Restarts the server as an operator would. */
    static Fault restart(ThrowawayServer server) {
        return consumers -> {
            server.restart();
            return Map.of("restarted", true);
        };
    }

    /** SIGKILLs the cluster's leader, then promotes a replica as an operator would (at once, no detection delay). */
    static Fault failover(ThrowawayCluster cluster) {
        return consumers -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("killed", cluster.killLeader());
            long promoting = System.nanoTime();
            details.put("promoted", cluster.promote());
            details.put("promote_ms", (System.nanoTime() - promoting) / 1_000_000);
            return details;
        };
    }
}
