package dev.queuebench.suite.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.queuebench.suite.lab.Lab;
import dev.queuebench.suite.report.Plot;
import dev.queuebench.suite.report.ReportWriter;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.RunReport;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.ThroughputSuite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network scenario's report, from fixed records: the golden smoke run's W=4 noop drains and its latency case,
 * each stamped as run at RTT 0, 0.5 and 2 ms the way the runner stamps them, with throughput falling and p99 rising
 * with the round trip. The throughput and p99 charts against the round trip are drawn with exactly those figures and
 * shown in the markdown and HTML reports, whose caveats say the hosts were emulated on one machine.
 */
class NetworkReportTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final List<Double> RTTS = List.of(0.0, 0.5, 2.0);

    @Test
    void theNetworkRunChartsThroughputAndP99AgainstTheRoundTripFromItsRecords(@TempDir Path dir) throws IOException {
        RunReport golden = ReportWriter.read(GOLDEN.resolve("run.json"));
        List<ResultRecord> base = golden.results().stream()
                .filter(r -> r.setup().workers() == 4 && (r.id().caseName().startsWith("drain_noop_")
                        || r.id().suite().equals(LatencySuite.NAME)))
                .toList();
        List<ResultRecord> records = new ArrayList<>();
        for (double rtt : RTTS) {
            List<Lab.Host> hosts = List.of(new Lab.Host("qb-test-1", "10.237.0.2:7000", "10.237.0.1", rtt,
                    rtt + 0.05, "the lab's relays"));
            base.forEach(r -> records.add(BenchmarkRunner.atRoundTrip(slowed(r, rtt), hosts)));
        }
        RunReport report = new RunReport(golden.schemaVersion(), golden.runId(), golden.startedAt(),
                golden.finishedAt(), Scenario.NETWORK.label(), golden.command(), golden.environment(),
                golden.configuration(), golden.capabilities(), golden.targets(), golden.exitStatus(), null, records);

        assertThat(records).extracting(r -> r.id().target() + " " + r.id().caseName()).doesNotHaveDuplicates()
                .contains("sqlite/immediate drain_noop_batched_rtt_0.5ms", "memory/monitor drain_noop_single_rtt_2ms",
                        "sqlite/optimistic open_loop_100_per_s_rtt_0ms");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.details()).containsKeys(ResultRecord.RTT_SET_MS, ResultRecord.RTT_MEASURED_MS, "rtt_hosts");
            assertThat(((Number) r.details().get(ResultRecord.RTT_MEASURED_MS)).doubleValue())
                    .isEqualTo(r.rttSetMs().getAsDouble() + 0.05, offset(1e-9));
        });

        List<ResultRecord> throughput = Suites.recordsOf(ThroughputSuite.NAME, records);
        Plot drains = plot(ThroughputSuite.NAME, throughput, "throughput_vs_rtt");
        assertThat(drains.x()).isEqualTo(Plot.Axis.ROUND_TRIP);
        Plot.Line sqliteBatched = line(drains, "sqlite/immediate batched");
        assertThat(sqliteBatched.x()).extracting(Number::doubleValue).containsExactly(0.0, 0.5, 2.0);
        assertThat(sqliteBatched.y()).containsExactlyElementsOf(figures(throughput, "sqlite/immediate",
                "drain_noop_batched", false));
        assertThat(line(drains, "memory/monitor single").y()).containsExactlyElementsOf(figures(throughput,
                "memory/monitor", "drain_noop_single", false));
        assertThat(drains.lines()).hasSize(6);

        List<ResultRecord> latency = Suites.recordsOf(LatencySuite.NAME, records);
        Plot p99 = plot(LatencySuite.NAME, latency, "latency_p99_vs_rtt");
        assertThat(line(p99, "sqlite/optimistic").x()).extracting(Number::doubleValue).containsExactly(0.0, 0.5, 2.0);
        assertThat(line(p99, "sqlite/optimistic").y()).containsExactlyElementsOf(figures(latency, "sqlite/optimistic",
                "open_loop_100_per_s", true));

        Path folder = ReportWriter.write(report, dir, report.runId(), RunOptions.NETWORK_SUITES);
        assertThat(folder.resolve("charts/throughput_vs_rtt.svg")).exists();
        assertThat(folder.resolve("charts/latency_p99_vs_rtt.svg")).exists();
        String markdown = Files.readString(folder.resolve("benchmark_report_" + report.runId() + ".md"),
                StandardCharsets.UTF_8);
        assertThat(markdown).contains("(charts/throughput_vs_rtt.svg)", "(charts/latency_p99_vs_rtt.svg)",
                "drain_noop_batched_rtt_2ms W=4", "**One machine, emulated hosts.**")
                .doesNotContain("**One machine.**");
        String html = Files.readString(folder.resolve("benchmark_report_" + report.runId() + ".html"),
                StandardCharsets.UTF_8);
        assertThat(html).contains("Drain throughput of noop jobs at W=4 against the round trip",
                "p99 latency (intended enqueue");
    }

    /** The figures the chart must show: jobs/s (or p99) of {@code target}'s {@code caseName} at each round trip. */
    private static List<Double> figures(List<ResultRecord> records, String target, String caseName, boolean p99) {
        return RTTS.stream().map(rtt -> records.stream()
                .filter(r -> r.id().target().equals(target)
                        && r.id().caseName().equals(caseName + "_rtt_" + ResultRecord.millisLabel(rtt) + "ms"))
                .findFirst().map(r -> p99 ? r.latencyMs().p99() : r.throughput().jobsPerSec()).orElseThrow())
                .toList();
    }

    private static Plot plot(String suite, List<ResultRecord> mine, String name) {
        List<String> targets = mine.stream().map(r -> r.id().target()).distinct().toList();
        return Suites.reportOf(suite).charts(mine, targets).stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart " + name));
    }

    private static Plot.Line line(Plot plot, String name) {
        return plot.lines().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + name + " in " + plot.name()));
    }

    /** {@code r} as if run at {@code rtt}: throughput divided by 1 + rtt, p99 plus 10 ms per ms of round trip. */
    private static ResultRecord slowed(ResultRecord r, double rtt) {
        ResultRecord.Throughput t = r.throughput();
        ResultRecord.Latency l = r.latencyMs();
        return new ResultRecord(r.id(), r.setup(), r.jobs(),
                new ResultRecord.Throughput(t.durationMs(), Math.round(t.jobsPerSec() / (1 + rtt)), t.min(), t.max(),
                        t.repeats(), t.jobsPerSecPerWorker()),
                new ResultRecord.Latency(l.p50(), l.p90(), l.p95(), l.p99() + 10 * rtt, l.p999(), l.max(), l.mean(),
                        l.count(), l.distribution()),
                r.contention(), r.memory(), r.costPer1kJobs(), r.targets(), r.operationsMs(), r.parameters(),
                r.rerun(), r.details(), r.lostSample(), r.repetitions());
    }
}
