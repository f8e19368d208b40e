package dev.queuebench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.suite.ResultRecord.Latency;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void aConsumerStalledOnceShowsInP99AndMaxMeasuredFromIntendedTime() {
        // 200 jobs/s for 2 s after a 400 ms warm-up, one worker; the 150th claim (past the warm-up) stalls 300 ms.
        FaultyBackends.StallingBackend backend = new FaultyBackends.StallingBackend(150, Duration.ofMillis(300));
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        RunOptions options = RunOptions.parse(Map.of("backend", "memory"), Map.of());
        try (Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err, false, 1000)) {
            BackendUnderTest target = new BackendUnderTest(backend, registry, options, progress, "test");

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
