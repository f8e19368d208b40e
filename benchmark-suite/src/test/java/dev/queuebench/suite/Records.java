package dev.queuebench.suite;

import dev.queuebench.suite.chaos.ChaosSuite;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.ResultRecord.CaseId;
import dev.queuebench.suite.report.ResultRecord.Contention;
import dev.queuebench.suite.report.ResultRecord.JobCounts;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord.Memory;
import dev.queuebench.suite.report.ResultRecord.MemorySample;
import dev.queuebench.suite.report.ResultRecord.Repetition;
import dev.queuebench.suite.report.ResultRecord.Setup;
import dev.queuebench.suite.report.ResultRecord.Throughput;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.workload.ConcurrencySuite;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.MemorySuite;
import dev.queuebench.suite.workload.StressSuite;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Result records with chosen figures, for tests of what the report computes from them. */
public final class Records {
    private static final JobCounts ALL_DONE = new JobCounts(1000, 1000, 0, 0, 0);
    private static final JobCounts HUNDRED_DONE = new JobCounts(100, 100, 0, 0, 0);

    private Records() {}

    /** A record of {@code suite}/{@code caseName} whose repetitions ran at {@code rates} jobs/s (median first). */
    public static ResultRecord withRates(String target, String suite, String caseName, int workers, double... rates) {
        double median = rates[0];
        double min = java.util.Arrays.stream(rates).min().orElseThrow();
        double max = java.util.Arrays.stream(rates).max().orElseThrow();
        List<Repetition> repetitions = java.util.Arrays.stream(rates)
                .mapToObj(r -> new Repetition(1000, r, HUNDRED_DONE, Latency.NONE, 0, 100, 0, 0))
                .toList();
        return record(target, suite, caseName, workers, median, min, max, Latency.NONE, 0, 0, repetitions);
    }

    /** A latency record with p50 and p99 (the same in every repetition). */
    public static ResultRecord withLatency(String target, String caseName, double p50, double p99) {
        Latency latency = new Latency(p50, p50, p99, p99, p99, p99, p50, 100, List.of());
        return record(target, LatencySuite.NAME, caseName, 4, 100, 100, 100, latency, 0, 0,
                List.of(new Repetition(1000, 100, HUNDRED_DONE, latency, 0, 100, 0, 0)));
    }

    /** A concurrency record with conflicts and lock errors over 1,000 completed jobs. */
    public static ResultRecord withContention(String target, int workers, double rate, long conflicts,
            long lockErrors) {
        return record(target, ConcurrencySuite.NAME, "contend_" + target.split("/")[1], workers, rate, rate, rate,
                Latency.NONE, conflicts, lockErrors, List.of());
    }

    /** A stress case that took {@code durationMs} and lost {@code lost} jobs. */
    public static ResultRecord withStress(String target, String caseName, long durationMs, long lost) {
        String[] parts = target.split("/");
        return new ResultRecord(new CaseId(parts[0], parts[1], StressSuite.NAME, caseName), new Setup(4, 16, "noop"),
                new JobCounts(1000, 1000 - lost, 0, lost, 0), new Throughput(durationMs, 1000, 1000, 1000, 1, 250),
                Latency.NONE, new Contention(0, 0, 0, 0), null, null, List.of(), Map.of(), Map.of(), "", Map.of(),
                List.of(), List.of());
    }

    /** A sustained memory run whose backend footprint was {@code footprint} at each of its two samples. */
    public static ResultRecord withFootprint(String target, Map<String, Long> footprint) {
        String[] parts = target.split("/");
        List<MemorySample> samples = List.of(new MemorySample(0, 1 << 20, 0, 10, 0, 0, footprint, null, null, null),
                new MemorySample(1000, 1 << 20, 0, 10, 0, 0, footprint, null, null, null));
        return new ResultRecord(new CaseId(parts[0], parts[1], MemorySuite.NAME, "sustained_100_per_s"),
                new Setup(4, 1, "noop"), HUNDRED_DONE, new Throughput(1000, 100, 100, 100, 1, 25), Latency.NONE,
                new Contention(0, 0, 0, 0), new Memory(1 << 20, 0, 0, 0, 0, 10, "no leak", samples, null, null, null,
                null), null, List.of(), Map.of(), Map.of(), "", Map.of(), List.of(), List.of());
    }

    /** A failover case in cluster form {@code form} that lost {@code lost} jobs and made no progress for a while. */
    public static ResultRecord withFailover(String target, String form, boolean lossAllowed, long lost,
            long noProgressMs) {
        String[] parts = target.split("/");
        Map<String, Object> details = new HashMap<>(Map.of("cluster_form", form, "no_progress_ms", noProgressMs));
        new CaseStatus.Ran(lossAllowed, null).writeTo(details, true);
        return new ResultRecord(new CaseId(parts[0], parts[1], ChaosSuite.NAME, "failover:" + form),
                new Setup(4, 1, "noop"), new JobCounts(1000, 1000 - lost, 0, lost, 0),
                new Throughput(10_000, 100, 100, 100, 1, 25), Latency.NONE, new Contention(0, 0, 0, 0), null, null,
                List.of(), Map.of(), Map.of(), "", details, List.of(), List.of());
    }

    private static ResultRecord record(String target, String suite, String caseName, int workers, double median,
            double min, double max, Latency latency, long conflicts, long lockErrors, List<Repetition> repetitions) {
        String[] parts = target.split("/");
        return new ResultRecord(new CaseId(parts[0], parts[1], suite, caseName), new Setup(workers, 1, "noop"),
                ALL_DONE, new Throughput(1000, median, min, max, repetitions.size(), median / workers), latency,
                new Contention(conflicts, conflicts / 1000.0, lockErrors, 0), null, null, List.of(), Map.of(), Map.of(),
                "",
                Map.of("target_rate_per_sec", 100), List.of(), repetitions);
    }
}
