package dev.queuebench.suite.run;

import dev.queuebench.suite.cost.ServerUse;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord.Memory;
import dev.queuebench.suite.report.ResultRecord.OpLatency;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.workers.ThreadCosts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one repetition of a case measured, before repetitions are folded into a {@link ResultRecord}.
 *
 * @param throughput jobs per second over the measured phase only
 * @param claims     claim calls, the denominator of the conflict rate
 * @param memory     null except in the memory suite
 * @param clientCost what the threads calling the backend used (workers, producers, the filling thread); null
 *                   where the case does not count it
 * @param serverUse  what the server's processes used during the repetition; null until {@link BackendUnderTest}
 *                   adds it
 */
public record CaseOutcome(
        long durationMs,
        double throughput,
        Ledger.Verdict verdict,
        Latency latency,
        long conflicts,
        long claims,
        long lockErrors,
        long errors,
        String firstError,
        Map<String, OpLatency> operations,
        Map<String, Object> details,
        Memory memory,
        ThreadCosts.Totals clientCost,
        ServerUse serverUse) {

    public CaseOutcome {
        operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** An outcome whose client cost is not counted. */
    public CaseOutcome(long durationMs, double throughput, Ledger.Verdict verdict, Latency latency, long conflicts,
            long claims, long lockErrors, long errors, String firstError, Map<String, OpLatency> operations,
            Map<String, Object> details, Memory memory) {
        this(durationMs, throughput, verdict, latency, conflicts, claims, lockErrors, errors, firstError, operations,
                details, memory, null, null);
    }

    /** This outcome with other case-specific figures. */
    public CaseOutcome withDetails(Map<String, Object> other) {
        return new CaseOutcome(durationMs, throughput, verdict, latency, conflicts, claims, lockErrors, errors,
                firstError, operations, other, memory, clientCost, serverUse);
    }

    /** This outcome with what the server's processes used. */
    public CaseOutcome withServerUse(ServerUse use) {
        return new CaseOutcome(durationMs, throughput, verdict, latency, conflicts, claims, lockErrors, errors,
                firstError, operations, details, memory, clientCost, use);
    }
}
