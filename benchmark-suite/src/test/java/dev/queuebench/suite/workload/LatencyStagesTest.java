package dev.queuebench.suite.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.Progress;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.suite.workers.LatencyStages;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyStagesTest {
    private static final List<String> STAGES = List.of(LatencyStages.SCHEDULE_LAG, LatencyStages.ENQUEUE,
            LatencyStages.TO_CLAIM, LatencyStages.HANDLER_START, LatencyStages.TOTAL);

    @Test
    void aLatencyCaseOnThreadConsumersRecordsEveryStageOfEveryMeasuredJobAndTheReportShowsThem() {
        RunOptions options = RunOptions.parse(Map.of("backend", "memory"), Map.of());
        try (Progress progress =
                new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false, 1000);
                QueueBackend backend = QueueBackends.open("memory", BackendConfig.empty())) {
            BackendUnderTest target = new BackendUnderTest(backend, new CompositeMeterRegistry(), options, progress,
                    "t", BackendConfig.empty());

            ResultRecord record = target.runCase(new BackendUnderTest.CaseSpec(new LatencySuite(), "open_loop", 2, 1,
                    "noop", Map.of()), 1, () -> LatencySuite.openLoop(target, 200, Duration.ofSeconds(2), 2, 1,
                    "stages"));

            Map<?, ?> stages = (Map<?, ?>) record.details().get(LatencyStages.DETAIL);
            assertThat(keys(stages)).containsAll(STAGES);
            long measured = record.latencyMs().count();
            assertThat(measured).isGreaterThan(300);
            for (String stage : STAGES) {
                Map<?, ?> s = (Map<?, ?>) stages.get(stage);
                assertThat(s.get("count")).as(stage + " count").isEqualTo(measured);
                assertThat(figure(s, "p50")).as(stage).isGreaterThanOrEqualTo(0)
                        .isLessThanOrEqualTo(figure(s, "p90"));
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
            assertThat(keys(stages.get(LatencySuite.MISSING))).as("the memory backend times no claim statement")
                    .containsExactly(LatencySuite.CLAIM_STATEMENT);

            List<String> table = new LatencyReport().tables(List.of(record), List.of(record.id().target()));
            assertThat(table).anySatisfy(line -> assertThat(line).startsWith("**Latency by stage**"))
                    .anySatisfy(line -> assertThat(line).startsWith("| " + record.id().target() + " | open_loop | ")
                            .doesNotContain("| – | – |"));
        }
    }

    private static List<String> keys(Object map) {
        return ((Map<?, ?>) map).keySet().stream().map(Object::toString).toList();
    }

    private static double figure(Map<?, ?> stage, String name) {
        return ((Number) stage.get(name)).doubleValue();
    }
}
