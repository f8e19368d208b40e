package dev.queuebench.suite.workload;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.queuebench.suite.run.RunOptions;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void aConsumerStalledOnceShowsInP99AndMaxMeasuredFromIntendedTime() {
        // 200 jobs/s for 2 s after a 400 ms warm-up, one worker; the 150th claim (past the warm-up) stalls 300 ms.
        FaultyBackends.StallingBackend backend = new FaultyBackends.StallingBackend(150, Duration.ofMillis(300));
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        RunOptions options = RunOptions.parse(Map.of("backend", "memory"), Map.of());
        try (Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false, 1000)) {
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
        RunOptions options = RunOptions.parse(Map.of("backend", "memory"), Map.of());
        try (Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false, 1000);
                QueueBackend backend = QueueBackends.open("memory", BackendConfig.empty())) {
            BackendUnderTest target = new BackendUnderTest(backend, new CompositeMeterRegistry(), options, progress, "t",
                    BackendConfig.empty());
            // p99 and throughput rank the three repetitions differently: the median p99 (5 ms) has the lowest rate
            Iterator<double[]> runs = List.of(new double[] {9, 200.0}, new double[] {5, 199.0},
                    new double[] {1, 199.5}).iterator();
            Supplier<CaseOutcome> body = () -> {
                double[] run = runs.next();
                Latency latency = new Latency(1, 1, 1, run[0], run[0], run[0], 1, 100, List.of());
                return new CaseOutcome(1000, run[1], new Ledger().check(), latency, 0, 0, 0, 0, null, Map.of(),
                        Map.of(), null);
            };

            ResultRecord record = target.runCase(
                    new BackendUnderTest.CaseSpec(new LatencySuite(), "open_loop", 1, 1, "noop", Map.of()), 3, body);

            assertThat(record.latencyMs().p99()).isEqualTo(5);
            assertThat(record.throughput().jobsPerSec()).isEqualTo(199.0);
            assertThat(record.throughput().min()).isEqualTo(199.0);
            assertThat(record.throughput().max()).isEqualTo(200.0);
        }
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
}
