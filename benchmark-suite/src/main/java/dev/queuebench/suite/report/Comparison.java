package dev.queuebench.suite.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.queuebench.suite.report.ResultRecord.CaseId;
import dev.queuebench.suite.run.Suites;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * This run against a baseline run ({@code -Dbaseline}), figure by figure for the cases both ran (same backend,
 * strategy, suite, case, W and batch), by the figures of merit each suite names ({@link SuiteReport#merits}): jobs/s
 * unless a suite says otherwise (higher is better), e.g. p50 and p99 of the latency cases (lower is better). A figure
 * is a <b>regression</b> when even this run's best repetition is worse than the baseline's worst by more than {@code
 * threshold}, so the noise of the repetitions (their min–max spread) never counts as a regression; an
 * <b>improvement</b> is the mirror image. A latency
 * regression must also be at least {@value #MIN_LATENCY_CHANGE_MS} ms, as sub-millisecond percentiles jitter by more
 * than any threshold.
 *
 * @param baselineRunId the run compared with
 * @param threshold     the share a figure may worsen beyond the noise, e.g. 0.10
 * @param changes       one entry per figure compared
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Comparison(String baselineRunId, double threshold, List<Change> changes) {

    static final double MIN_LATENCY_CHANGE_MS = 1.0;

    /** What a change means for a figure. */
    public enum Verdict { REGRESSION, IMPROVEMENT, WITHIN_NOISE }

    /**
     * One figure: medians, each run's min–max over its repetitions, {@code ratio} = now / baseline.
     *
     * @param higherIsBetter true for jobs/s, false for latency
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Change(String backend, String strategy, String suite, @JsonProperty("case") String caseName,
            int workers, int batch, String metric, boolean higherIsBetter, double baseline, double baselineMin,
            double baselineMax, double now, double nowMin, double nowMax, double ratio, Verdict verdict) {}

    /**
     * A figure records are compared by: its name in the comparison, which way is better, and a record's median,
     * min and max of it over the repetitions.
     */
    public record Merit(String metric, boolean higherIsBetter, Function<ResultRecord, double[]> medianMinMax) {
        /** Jobs/s: the median repetition's, with the min and max the record states. */
        public static final Merit THROUGHPUT = new Merit("throughput_jobs_per_sec", true,
                r -> new double[] {r.throughput().jobsPerSec(), r.throughput().min(), r.throughput().max()});

        /** A latency figure (lower is better): the record's own, min and max over its repetitions. */
        public static Merit latency(String metric, ToDoubleFunction<ResultRecord.Latency> figure) {
            return new Merit(metric, false, r -> spread(r, figure));
        }
    }

    public Comparison {
        changes = List.copyOf(changes);
    }

    /** Compares {@code now} with {@code baseline}'s records. */
    public static Comparison of(RunReport baseline, List<ResultRecord> now, double threshold) {
        List<Change> changes = new ArrayList<>();
        for (ResultRecord r : now) {
            Optional<ResultRecord> before = baseline.results().stream().filter(b -> sameCase(b, r)).findFirst();
            if (before.isEmpty() || r.status() instanceof CaseStatus.CouldNotRun) {
                continue;
            }
            for (Merit merit : Suites.reportOf(r.id().suite()).merits()) {
                changes.add(change(r, merit, merit.medianMinMax().apply(before.get()), merit.medianMinMax().apply(r),
                        threshold));
            }
        }
        return new Comparison(baseline.runId(), threshold, changes);
    }

    /** True when some figure regressed. */
    public boolean hasRegression() {
        return changes.stream().anyMatch(c -> c.verdict() == Verdict.REGRESSION);
    }

    private static boolean sameCase(ResultRecord a, ResultRecord b) {
        return a.id().equals(b.id()) && a.setup().workers() == b.setup().workers()
                && a.setup().batch() == b.setup().batch();
    }

    /** Median (the record's own figure), min and max over the repetitions (the median alone without them). */
    private static double[] spread(ResultRecord r, ToDoubleFunction<ResultRecord.Latency> figure) {
        double median = figure.applyAsDouble(r.latencyMs());
        double min = r.repetitions().stream().mapToDouble(p -> figure.applyAsDouble(p.latencyMs())).min()
                .orElse(median);
        double max = r.repetitions().stream().mapToDouble(p -> figure.applyAsDouble(p.latencyMs())).max()
                .orElse(median);
        return new double[] {median, min, max};
    }

    /** {@code before} and {@code now} are {median, min, max}. */
    private static Change change(ResultRecord now, Merit merit, double[] before, double[] after, double threshold) {
        Verdict verdict;
        if (merit.higherIsBetter()) {
            verdict = after[2] < before[1] * (1 - threshold) ? Verdict.REGRESSION
                    : after[1] > before[2] * (1 + threshold) ? Verdict.IMPROVEMENT : Verdict.WITHIN_NOISE;
        } else {
            boolean noticeable = after[1] - before[2] >= MIN_LATENCY_CHANGE_MS;
            verdict = noticeable && after[1] > before[2] * (1 + threshold) ? Verdict.REGRESSION
                    : after[2] < before[1] * (1 - threshold) ? Verdict.IMPROVEMENT : Verdict.WITHIN_NOISE;
        }
        double ratio = before[0] == 0 ? 0 : after[0] / before[0];
        CaseId id = now.id();
        return new Change(id.backend(), id.strategy(), id.suite(), id.caseName(), now.setup().workers(),
                now.setup().batch(), merit.metric(), merit.higherIsBetter(), before[0], before[1], before[2],
                after[0], after[1], after[2], ratio, verdict);
    }
}
