package dev.queuebench.suite.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.FaultyBackends;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.Progress;
import dev.queuebench.suite.workers.LatencyRecorder;
import dev.queuebench.suite.workers.LatencyStages;
import dev.queuebench.testsupport.TestServers;
import dev.queuebench.suite.run.RunOptions;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyRecorderTest {
    private static final List<String> STAGES = List.of(LatencyStages.SCHEDULE_LAG, LatencyStages.ENQUEUE,
            LatencyStages.TO_CLAIM, LatencyStages.HANDLER_START, LatencyStages.TOTAL);

    @Test
    void aConsumerStalledOnceShowsInP99AndMaxMeasuredFromIntendedTime() {
        // 200 jobs/s for 2 s after a 400 ms warm-up, one worker; the 150th claim (past the warm-up) stalls 300 ms.
        FaultyBackends.StallingBackend backend = new FaultyBackends.StallingBackend(150, Duration.ofMillis(300));
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        RunOptions options = RunOptions.parse(Map.of("backend", "memory"), Map.of());
        try (Progress progress =
                new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false, 1000)) {
            BackendUnderTest target = new BackendUnderTest(backend, registry, options, progress, "test",
                    BackendConfig.empty());

            CaseOutcome outcome = LatencySuite.openLoop(target, 200, Duration.ofSeconds(2), 1, 1, "stall");

            Latency latency = outcome.latency();
            assertThat(latency.max()).as("the stalled job waited the whole stall").isGreaterThanOrEqualTo(290);
            assertThat(latency.p99()).as("jobs intended during the stall waited too").isGreaterThanOrEqualTo(200);
            assertThat(latency.p50()).as("the rest ran at once").isLessThan(50);
            assertThat(outcome.verdict().lost()).isZero();
        } finally {
            backend.close();
        }
    }

    @Test
    void aLatencyCaseReportsTheRepetitionWithTheMedianP99NotTheMedianThroughput() {
        // p99 and throughput rank the three repetitions differently: the median p99 (5 ms) has the lowest rate
        Iterator<double[]> runs = List.of(new double[] {9, 200.0}, new double[] {5, 199.0},
                new double[] {1, 199.5}).iterator();
        Supplier<CaseOutcome> body = () -> {
            double[] run = runs.next();
            Latency latency = new Latency(1, 1, 1, run[0], run[0], run[0], 1, 100, List.of());
            return new CaseOutcome(1000, run[1], new Ledger().check(), latency, 0, 0, 0, 0, null, Map.of(),
                    Map.of(), null);
        };

        ResultRecord record = on("memory", target -> target.runCase(
                new BackendUnderTest.CaseSpec(new LatencySuite(), "open_loop", 1, 1, "noop", Map.of()), 3, body));

        assertThat(record.latencyMs().p99()).isEqualTo(5);
        assertThat(record.throughput().jobsPerSec()).isEqualTo(199.0);
        assertThat(record.throughput().min()).isEqualTo(199.0);
        assertThat(record.throughput().max()).isEqualTo(200.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void aLatencyCaseOnThreadConsumersRecordsEveryStageOfEveryMeasuredJobAndTheReportShowsThem(String name) {
        ResultRecord record = on(name, target -> target.runCase(new BackendUnderTest.CaseSpec(new LatencySuite(),
                "open_loop", 2, 1, "noop", Map.of()), 1, () -> LatencySuite.openLoop(target, 200,
                Duration.ofSeconds(2), 2, 1, "stages")));

        Map<?, ?> stages = (Map<?, ?>) record.details().get(LatencyStages.DETAIL);
        assertThat(keys(stages)).containsAll(STAGES);
        long measured = record.latencyMs().count();
        assertThat(measured).isGreaterThan(300);
        for (String stage : STAGES) {
            Map<?, ?> s = (Map<?, ?>) stages.get(stage);
            assertThat(s.get("count")).as(stage + " count").isEqualTo(measured);
            assertThat(figure(s, "p50")).as(stage).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(figure(s, "p90"));
            assertThat(figure(s, "p90")).as(stage).isLessThanOrEqualTo(figure(s, "p99"));
            assertThat(figure(s, "p99")).as(stage).isLessThanOrEqualTo(figure(s, "max"));
        }
        Map<?, ?> total = (Map<?, ?>) stages.get(LatencyStages.TOTAL);
        assertThat(figure(total, "max")).as("the stages' total is the recorded latency")
                .isCloseTo(record.latencyMs().max(), offset(0.01));
        double sumOfMedians = figure((Map<?, ?>) stages.get(LatencyStages.ENQUEUE), "p50")
                + figure((Map<?, ?>) stages.get(LatencyStages.TO_CLAIM), "p50")
                + figure((Map<?, ?>) stages.get(LatencyStages.HANDLER_START), "p50");
        assertThat(sumOfMedians).as("the stages' medians add up to a latency jobs had")
                .isGreaterThan(0).isLessThanOrEqualTo(figure(total, "max"));
        if (name.equals("memory")) {
            assertThat(keys(stages.get(LatencySuite.MISSING))).as("the memory backend times no claim statement")
                    .containsExactly(LatencySuite.CLAIM_STATEMENT);
        } else {
            assertThat(keys(stages)).doesNotContain(LatencySuite.MISSING);
            Map<?, ?> statement = (Map<?, ?>) stages.get(LatencySuite.CLAIM_STATEMENT);
            assertThat(figure(statement, "count")).as("claim calls that leased jobs, warm-up included")
                    .isGreaterThanOrEqualTo(measured / 2.0);
            assertThat(figure(statement, "p50")).isPositive().isLessThanOrEqualTo(figure(statement, "p99"));
        }

        List<String> table = new LatencyReport().tables(List.of(record), List.of(record.id().target()));
        assertThat(table).anySatisfy(line -> assertThat(line).startsWith("**Latency by stage**"))
                .anySatisfy(line -> assertThat(line).startsWith("| " + record.id().target() + " | open_loop | ")
                        .doesNotContain("| – | – |"));
    }

    @Test
    void jobsIntendedBeforeTheMeasuredPhaseAreNotRecorded() {
        long measureFrom = System.nanoTime();
        LatencyRecorder recorder = new LatencyRecorder(measureFrom);

        recorder.record(measureFrom - 1_000_000, measureFrom + 500_000_000);
        recorder.record(measureFrom + 1_000_000, measureFrom + 3_000_000);

        Latency latency = recorder.summary();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.max()).isBetween(1.99, 2.01);
    }

    /**
     * What {@code run} returns, run on a fresh backend {@code name} (memory, or the test server's PostgreSQL) that
     * records into the target's registry, on queues of their own.
     */
    private static ResultRecord on(String name, Function<BackendUnderTest, ResultRecord> run) {
        RunOptions options = RunOptions.parse(Map.of("backend", name), Map.of());
        BackendConfig config = name.equals("postgres") ? BackendConfig.of(Map.of("url", TestServers.postgresUrl()))
                : BackendConfig.empty();
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        try (Progress progress =
                new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false, 1000);
                QueueBackend backend = QueueBackends.open(name, config.withMeterRegistry(registry))) {
            return run.apply(new BackendUnderTest(backend, registry, options, progress,
                    "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1), config));
        }
    }

    private static List<String> keys(Object map) {
        return ((Map<?, ?>) map).keySet().stream().map(Object::toString).toList();
    }

    private static double figure(Map<?, ?> stage, String name) {
        return ((Number) stage.get(name)).doubleValue();
    }
}
