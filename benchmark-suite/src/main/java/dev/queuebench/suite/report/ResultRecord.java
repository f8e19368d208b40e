package dev.queuebench.suite.report;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One case's result, with the fields SUITE.md lists (snake_case in JSON; times in ms, rates per second). A case
 * repeated n times reports the median repetition by throughput, with {@code throughput_min}/{@code _max} over all
 * of them; lost and duplicated jobs are summed over every repetition, so no repetition's loss is hidden, and
 * {@code repetitions} keeps each repetition's own figures. The components are grouped into small records
 * ({@link CaseId}, {@link Setup}, {@link JobCounts}, {@link Throughput}, {@link Contention}) that the JSON
 * unwraps, so it stays one flat object per case; a new figure goes into the group it belongs to.
 *
 * @param latencyMs  handler start minus the job's intended enqueue time; for drains of a pre-filled queue that is
 *                   the time jobs waited in the backlog
 * @param operationsMs per-operation latency from the backend's own {@code queuebench.op} timers
 * @param parameters the options that rerun this case alone (see {@code rerun})
 * @param details    case-specific figures, e.g. {@code enqueue_jobs_per_sec}, {@code recovery_ms}
 * @param costPer1kJobs what 1,000 jobs cost the client and the server; null where the case does not count it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResultRecord(
        @JsonUnwrapped CaseId id,
        @JsonUnwrapped Setup setup,
        @JsonUnwrapped(prefix = "jobs_") JobCounts jobs,
        @JsonUnwrapped Throughput throughput,
        Latency latencyMs,
        @JsonUnwrapped Contention contention,
        @JsonInclude(JsonInclude.Include.NON_NULL) Memory memory,
        // the naming strategy would write cost_per1k_jobs; runs written before the name was fixed still read
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("cost_per_1k_jobs") @JsonAlias("cost_per1k_jobs")
        Cost costPer1kJobs,
        List<TargetResult> targets,
        Map<String, OpLatency> operationsMs,
        Map<String, String> parameters,
        String rerun,
        Map<String, Object> details,
        List<String> lostSample,
        List<Repetition> repetitions) {

    /** Key in {@link #details()}: the round trip (ms) the network scenario's lab was set to for this case. */
    public static final String RTT_SET_MS = "rtt_set_ms";
    /** Key in {@link #details()}: the round trip (ms) the lab measured for this case, mean over its hosts. */
    public static final String RTT_MEASURED_MS = "rtt_measured_ms";

    public ResultRecord {
        repetitions = repetitions == null ? List.of() : List.copyOf(repetitions); // absent in schema 1 files
    }

    /** Which case of which suite ran on which target; {@code case} in JSON. */
    public record CaseId(String backend, String strategy, String suite, @JsonProperty("case") String caseName) {

        /** {@code backend/strategy}, the target as the report names it. */
        public String target() {
            return backend + "/" + strategy;
        }
    }

    /** How the case was set up: worker count, claim batch size and the task each job runs. */
    public record Setup(int workers, int batch, String task) {}

    /** What became of the jobs (written {@code jobs_enqueued}, ..., {@code jobs_duplicated} in JSON). */
    public record JobCounts(long enqueued, long completed, long dead, long lost, long duplicated) {}

    /**
     * The median repetition's duration and rate, the rate's spread over all {@code repeats} repetitions, and the
     * rate per worker.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Throughput(long durationMs, @JsonProperty("throughput_jobs_per_sec") double jobsPerSec,
            @JsonProperty("throughput_min") double min, @JsonProperty("throughput_max") double max, int repeats,
            double jobsPerSecPerWorker) {}

    /** Claims that lost a race, their share of all claims, lock errors the backend reported, and all errors. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Contention(long claimConflicts, double claimConflictRate, long lockErrors, long errors) {}

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
    public record Repetition(long durationMs, double throughputJobsPerSec,
            @JsonUnwrapped(prefix = "jobs_") JobCounts jobs, Latency latencyMs, long claimConflicts, long claims,
            long lockErrors, long errors) {}

    /** One operation's latency in milliseconds, from the backend's timer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OpLatency(long count, double p50, double p95, double p99, double max, double mean) {}

    /**
     * What the memory suite saw; {@code leak_verdict} states its rule. {@code heapGrowthBytesPerMin} is the slope of
     * the heap after GC less the harness ledger's retired-job tables, {@code ledgerGrowthBytesPerMin} the slope of
     * those tables alone; {@code serverRssGrowthBytesPerMin} the slope of the server processes' resident memory, null
     * with {@code serverReason} when they could not be read.
     *
     * @param serverCovers which server processes were sampled
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Memory(long heapPeakBytes, double heapGrowthBytesPerMin, long rssPeakBytes, long gcCount,
            long gcPauseMs, int threadsPeak, String leakVerdict, List<MemorySample> samples,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double ledgerGrowthBytesPerMin,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double serverRssGrowthBytesPerMin,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serverCovers,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serverReason) {}

    /**
     * What 1,000 jobs of the median repetition cost over their whole life (enqueue, claim, handler, complete):
     * CPU time of the threads that called the backend (workers, producer or filling thread, with the harness's
     * bookkeeping on them), CPU time of the server's processes, bytes those threads allocated, and the server
     * processes' resident memory at the end. A figure that could not be measured is null, its reason says why.
     *
     * @param serverCovers which server processes were read
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Cost(Double clientCpuMs, Long allocBytes,
            @JsonInclude(JsonInclude.Include.NON_NULL) String clientCpuReason, Double serverCpuMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serverCpuReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long serverRssBytes,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serverCovers) {

        /**
         * Client plus server CPU ms, the server's counting as 0 where it is null (in-process backends have none);
         * null when the client was not counted.
         */
        @JsonIgnore
        public Double cpuMs() {
            return clientCpuMs == null ? null : clientCpuMs + (serverCpuMs == null ? 0 : serverCpuMs);
        }
    }

    /**
     * One sample of the memory suite, taken {@code t_ms} after the case started: the client JVM's figures, the bytes
     * of the ledger's retired-job tables ({@code ledgerBytes}, inside {@code heapBytes}), and the server processes'
     * resident memory and CPU time since the case started (null where they cannot be read from this host).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MemorySample(long tMs, long heapBytes, long rssBytes, int threads, long gcCount, long gcPauseMs,
            Map<String, Long> footprint, @JsonInclude(JsonInclude.Include.NON_NULL) Long ledgerBytes,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long serverRssBytes,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double serverCpuMs) {

        /** The heap after GC less the ledger's retired-job tables: what the client holds besides the harness. */
        @JsonIgnore
        public long heapLessLedgerBytes() {
            return heapBytes - (ledgerBytes == null ? 0 : ledgerBytes);
        }
    }

    /** A target checked against this record: {@code actual op value} passes, e.g. {@code 812 > 50}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetResult(String metric, String op, double value, double actual, boolean pass) {

        /** The target {@code actual < max}, named {@code metric}. */
        public static TargetResult below(String metric, double max, double actual) {
            return new TargetResult(metric, "<", max, actual, actual < max);
        }
    }

    /** Whether the case ran, was skipped or could not run, as its details state it. */
    @JsonIgnore
    public CaseStatus status() {
        return CaseStatus.of(details);
    }

    /** The round trip (ms) this case ran at in the network scenario, if it did. */
    @JsonIgnore
    public OptionalDouble rttSetMs() {
        return details.get(RTT_SET_MS) instanceof Number n ? OptionalDouble.of(n.doubleValue())
                : OptionalDouble.empty();
    }

    /** {@code millis} as a case name and legend write it: {@code 0}, {@code 0.5}, {@code 2}. */
    public static String millisLabel(double millis) {
        return millis == Math.rint(millis) ? Long.toString(Math.round(millis))
                : BigDecimal.valueOf(millis).stripTrailingZeros().toPlainString();
    }

    /** This record under another case name, with {@code newDetails} instead of its details. */
    public ResultRecord renamed(String caseName, Map<String, Object> newDetails) {
        return new ResultRecord(new CaseId(id.backend(), id.strategy(), id.suite(), caseName), setup, jobs, throughput,
                latencyMs, contention, memory, costPer1kJobs, targets, operationsMs, parameters, rerun,
                Collections.unmodifiableMap(new LinkedHashMap<>(newDetails)), lostSample, repetitions);
    }

    /** This record with the targets evaluated against it. */
    public ResultRecord withTargets(List<TargetResult> evaluated) {
        return new ResultRecord(id, setup, jobs, throughput, latencyMs, contention, memory, costPer1kJobs,
                List.copyOf(evaluated),
                operationsMs, parameters, rerun, details, lostSample, repetitions);
    }
}
