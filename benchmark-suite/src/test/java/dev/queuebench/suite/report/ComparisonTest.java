package dev.queuebench.suite.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.suite.Records;
import dev.queuebench.suite.report.Comparison.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final double THRESHOLD = 0.10;

    @Test
    void aThirtyPercentDropInThroughputIsARegression() {
        Comparison c = compare(Records.withRates("pg/a", "throughput", "drain_noop_single", 4, 1000),
                Records.withRates("pg/a", "throughput", "drain_noop_single", 4, 700));

        assertThat(c.changes()).singleElement().satisfies(change -> {
            assertThat(change.verdict()).isEqualTo(Verdict.REGRESSION);
            assertThat(change.ratio()).isEqualTo(0.7);
            assertThat(change.higherIsBetter()).isTrue();
        });
        assertThat(c.hasRegression()).isTrue();
    }

    @Test
    void aDropWithinTheRepetitionsSpreadIsNoRegression() {
        // medians 1000 → 800 (-20 %), but the best repetition now (950) is within 10 % of the worst before (900)
        Comparison c = compare(Records.withRates("pg/a", "throughput", "drain_noop_single", 4, 1000, 900, 1100),
                Records.withRates("pg/a", "throughput", "drain_noop_single", 4, 800, 700, 950));

        assertThat(c.changes().getFirst().verdict()).isEqualTo(Verdict.WITHIN_NOISE);
        assertThat(c.hasRegression()).isFalse();
    }

    @Test
    void higherLatencyIsARegressionAndLowerAnImprovement() {
        Comparison worse = compare(Records.withLatency("pg/a", "open_loop_100_per_s", 2, 10),
                Records.withLatency("pg/a", "open_loop_100_per_s", 2, 20));
        Comparison better = compare(Records.withLatency("pg/a", "open_loop_100_per_s", 2, 20),
                Records.withLatency("pg/a", "open_loop_100_per_s", 2, 10));

        assertThat(worse.changes()).extracting(Comparison.Change::metric, Comparison.Change::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("latency_p50_ms", Verdict.WITHIN_NOISE),
                        org.assertj.core.groups.Tuple.tuple("latency_p99_ms", Verdict.REGRESSION));
        assertThat(better.changes().get(1).verdict()).isEqualTo(Verdict.IMPROVEMENT);
    }

    @Test
    void aSubMillisecondLatencyChangeIsNoRegressionWhateverItsRatio() {
        Comparison c = compare(Records.withLatency("pg/a", "open_loop_100_per_s", 0.1, 0.2),
                Records.withLatency("pg/a", "open_loop_100_per_s", 0.1, 0.9));

        assertThat(c.hasRegression()).isFalse();
    }

    @Test
    void casesOnlyOneRunHadAreLeftOut() {
        Comparison c = compare(Records.withRates("pg/a", "throughput", "drain_noop_single", 4, 1000),
                Records.withRates("pg/b", "throughput", "drain_noop_single", 4, 10));

        assertThat(c.changes()).isEmpty();
    }

    private static Comparison compare(ResultRecord before, ResultRecord now) {
        RunReport baseline = new RunReport(RunReport.SCHEMA_VERSION, "base", "", "", "smoke", "", null, null, null,
                Targets.BUILT_IN, 0, null, List.of(before));
        return Comparison.of(baseline, List.of(now), THRESHOLD);
    }
}
