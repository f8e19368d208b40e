package dev.queuebench.suite.run;

import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord.Memory;
import dev.queuebench.suite.report.ResultRecord.OpLatency;
import dev.queuebench.suite.report.ResultRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one repetition of a case measured, before repetitions are folded into a {@link ResultRecord}.
 *
 * @param throughput jobs per second over the measured phase only
 * @param claims     claim calls, the denominator of the conflict rate
 * @param memory     null except in the memory suite
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
        Memory memory) {

    public CaseOutcome {
        operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** This outcome with other case-specific figures. */
    public CaseOutcome withDetails(Map<String, Object> other) {
        return new CaseOutcome(durationMs, throughput, verdict, latency, conflicts, claims, lockErrors, errors,
                firstError, operations, other, memory);
    }
}
