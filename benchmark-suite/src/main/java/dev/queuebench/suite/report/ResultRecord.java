package dev.queuebench.suite.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One case's result, with the fields SUITE.md lists (snake_case in JSON; times in ms, rates per second). A case
 * repeated n times reports the median repetition by throughput, with {@code throughput_min}/{@code _max} over all
 * of them; lost and duplicated jobs are summed over every repetition, so no repetition's loss is hidden, and
 * {@code repetitions} keeps each repetition's own figures.
 *
 * @param latencyMs  handler start minus the job's intended enqueue time; for drains of a pre-filled queue that is
 *                   the time jobs waited in the backlog
 * @param operationsMs per-operation latency from the backend's own {@code queuebench.op} timers
 * @param parameters the options that rerun this case alone (see {@code rerun})
 * @param details    case-specific figures, e.g. {@code enqueue_jobs_per_sec}, {@code recovery_ms}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResultRecord(
        String backend,
        String strategy,
        String suite,
        @JsonProperty("case") String caseName,
        int workers,
        int batch,
        String task,
        long jobsEnqueued,
        long jobsCompleted,
        long jobsDead,
        long jobsLost,
        long jobsDuplicated,
        long durationMs,
        double throughputJobsPerSec,
        double throughputMin,
        double throughputMax,
        int repeats,
        double jobsPerSecPerWorker,
        Latency latencyMs,
        long claimConflicts,
        double claimConflictRate,
        long lockErrors,
        long errors,
        @JsonInclude(JsonInclude.Include.NON_NULL) Memory memory,
        List<TargetResult> targets,
        Map<String, OpLatency> operationsMs,
        Map<String, String> parameters,
        String rerun,
        Map<String, Object> details,
        List<String> lostSample,
        List<Repetition> repetitions) {

    public ResultRecord {
        repetitions = repetitions == null ? List.of() : List.copyOf(repetitions); // absent in schema 1 files
    }

    /**
     * Percentiles in milliseconds; {@code count} is how many jobs were recorded. {@code distribution} is the
     * HdrHistogram percentile curve (empty in a repetition's copy), enough to redraw the percentile chart.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(double p50, double p90, double p95, double p99, double p999, double max, double mean,
            long count, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PercentilePoint> distribution) {

        public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0, 0, List.of());

        public Latency {
            distribution = distribution == null ? List.of() : List.copyOf(distribution);
        }

        /** The same percentiles without the curve. */
        public Latency withoutDistribution() {
            return new Latency(p50, p90, p95, p99, p999, max, mean, count, List.of());
        }
    }

    /** One point of a latency percentile curve: {@code percentile} (e.g. 99.9) and its value in milliseconds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PercentilePoint(double percentile, double ms) {}

    /** One repetition's own figures, so another tool can redo the folding (median, spread) itself. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Repetition(long durationMs, double throughputJobsPerSec, long jobsEnqueued, long jobsCompleted,
            long jobsDead, long jobsLost, long jobsDuplicated, Latency latencyMs, long claimConflicts, long claims,
            long lockErrors, long errors) {}

    /** One operation's latency in milliseconds, from the backend's timer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OpLatency(long count, double p50, double p95, double p99, double max, double mean) {}

    /** What the memory suite saw; {@code leak_verdict} states its rule. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Memory(long heapPeakBytes, double heapGrowthBytesPerMin, long rssPeakBytes, long gcCount,
            long gcPauseMs, int threadsPeak, String leakVerdict, List<MemorySample> samples) {}

    /** One sample of the memory suite, taken {@code t_ms} after the case started. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MemorySample(long tMs, long heapBytes, long rssBytes, int threads, long gcCount, long gcPauseMs,
            Map<String, Long> footprint) {}

    /** A target checked against this record: {@code actual op value} passes, e.g. {@code 812 > 50}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetResult(String metric, String op, double value, double actual, boolean pass) {}

    /** Whether the case ran, was skipped or could not run, as its details state it. */
    @JsonIgnore
    public CaseStatus status() {
        return CaseStatus.of(details);
    }

    /** This record with the targets evaluated against it. */
    public ResultRecord withTargets(List<TargetResult> evaluated) {
        return new ResultRecord(backend, strategy, suite, caseName, workers, batch, task, jobsEnqueued, jobsCompleted,
                jobsDead, jobsLost, jobsDuplicated, durationMs, throughputJobsPerSec, throughputMin, throughputMax,
                repeats, jobsPerSecPerWorker, latencyMs, claimConflicts, claimConflictRate, lockErrors, errors, memory,
                List.copyOf(evaluated), operationsMs, parameters, rerun, details, lostSample, repetitions);
    }
}
