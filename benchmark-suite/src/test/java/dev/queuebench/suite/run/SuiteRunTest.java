package dev.queuebench.suite.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuebench.suite.FaultyBackends;
import dev.queuebench.suite.report.ReportWriter;
import dev.queuebench.suite.report.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs through the same entry point as exec:java, against the memory backend and broken wrappers of it. */
class SuiteRunTest {
    private static final List<String> RECORD_FIELDS = List.of("backend", "strategy", "suite", "case", "workers",
            "batch", "jobs_enqueued", "jobs_completed", "jobs_dead", "jobs_lost", "jobs_duplicated", "duration_ms",
            "throughput_jobs_per_sec", "latency_ms", "claim_conflicts", "claim_conflict_rate", "lock_errors", "errors",
            "targets");
    private static final List<String> LATENCY_FIELDS = List.of("p50", "p90", "p95", "p99", "p999", "max", "mean");
    private static final List<String> MEMORY_FIELDS = List.of("heap_peak_bytes", "heap_growth_bytes_per_min",
            "rss_peak_bytes", "gc_count", "gc_pause_ms");
    private static final List<String> TARGET_FIELDS = List.of("metric", "op", "value", "actual", "pass");
    private static final List<String> FILE_FIELDS = List.of("schema_version", "run_id", "started_at", "finished_at",
            "scenario", "environment", "configuration", "results");
    private static final List<String> ENVIRONMENT_FIELDS = List.of("git_commit", "jdk", "os", "cores",
            "max_heap_bytes", "servers");

    @TempDir
    Path results;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void smokeRunWritesEverySuiteFileAndEveryFieldOfSuiteMdParsesBack() throws IOException {
        int status = run(Map.of("backend", "memory", "scenario", "smoke", "workers", "2", "jobs", "200",
                "duration", "2", "task", "noop"));

        assertThat(status).as(errBytes.toString(StandardCharsets.UTF_8)).isZero();
        Path folder = onlyRunFolder();
        String stamp = folder.getFileName().toString();
        assertThat(stamp).matches("\\d{8}_\\d{6}");
        for (String suite : RunOptions.SUITES) {
            assertThat(folder.resolve(suite + "_results_" + stamp + ".json")).isRegularFile();
        }
        assertThat(folder.resolve("benchmark_report_" + stamp + ".md")).content()
                .contains("## Selection summary", "| peak throughput | **memory/monitor**", "## Side by side",
                        "## Caveats", "`PROCESS` (memory/monitor)", "## Targets", "PASS",
                        "Reproduce: `./mvnw -pl benchmark-suite -am compile exec:java");
        try (Stream<Path> charts = Files.list(folder.resolve("charts"))) {
            assertThat(charts.map(c -> c.getFileName().toString())).contains("throughput_vs_workers.svg",
                    "latency_percentiles_100_per_s.svg", "conflicts_vs_workers.svg", "memory_heap_over_time.svg",
                    "footprint_over_time.svg");
        }
        assertThat(folder.resolve("charts/throughput_vs_workers.svg")).content()
                .as("an SVG (text drawn as paths) with the first series' colour").contains("<svg", "rgb(31,119,180)");
        assertThat(folder.resolve("benchmark_report_" + stamp + ".html")).content()
                .contains("<h2>Selection summary</h2>", "<table>", "<figure class=\"chart\"><svg")
                .doesNotContain("<img src=\"charts/");

        JsonNode combined =
                new ObjectMapper().readTree(folder.resolve("benchmark_results_" + stamp + ".json").toFile());
        FILE_FIELDS.forEach(f -> assertThat(combined.has(f)).as(f).isTrue());
        ENVIRONMENT_FIELDS.forEach(f -> assertThat(combined.get("environment").has(f)).as(f).isTrue());
        assertThat(combined.get("schema_version").asInt()).isEqualTo(RunReport.SCHEMA_VERSION);
        assertThat(combined.get("results")).isNotEmpty();
        for (JsonNode record : combined.get("results")) {
            RECORD_FIELDS.forEach(f -> assertThat(record.has(f)).as(record.get("case") + "." + f).isTrue());
            LATENCY_FIELDS.forEach(f -> assertThat(record.get("latency_ms").has(f)).as(f).isTrue());
            assertThat(record.get("targets")).isNotEmpty();
            record.get("targets").forEach(t -> TARGET_FIELDS.forEach(f -> assertThat(t.has(f)).as(f).isTrue()));
            assertThat(record.get("jobs_lost").asLong()).isZero();
        }
        JsonNode memory = combined.get("results").findParents("memory").getFirst().get("memory");
        MEMORY_FIELDS.forEach(f -> assertThat(memory.has(f)).as(f).isTrue());
        assertThat(combined.get("results").findValuesAsText("suite")).containsAll(RunOptions.SUITES);

        JsonNode latency = record(folder, "open_loop_100_per_s");
        assertThat(latency.at("/latency_ms/distribution").size()).as("the percentile curve").isGreaterThan(3);
        assertThat(latency.at("/latency_ms/distribution/0/percentile").asDouble()).isZero();
        assertThat(latency.get("repetitions")).hasSize(latency.get("repeats").asInt());
        assertThat(latency.at("/repetitions/0/latency_ms/p99").isNumber()).isTrue();
        assertThat(combined.at("/capabilities/memory~1monitor/durability").asText()).isEqualTo("PROCESS");

        RunReport parsed = ReportWriter.read(folder.resolve("benchmark_results_" + stamp + ".json"));
        assertThat(parsed.results()).hasSize(combined.get("results").size());
        assertThat(parsed.results()).allSatisfy(
                r -> assertThat(r.jobs().enqueued()).isEqualTo(r.jobs().completed() + r.jobs().dead()));
    }

    @Test
    void severalBackendsRunInterleavedCaseByCaseIntoOneRunFolder() throws IOException {
        int status = run(Map.of("backend", "memory,redelivering", "suite", "throughput", "scenario", "smoke",
                "task", "noop", "workers", "1,2", "batch", "1", "jobs", "100"));

        assertThat(status).as(errBytes.toString(StandardCharsets.UTF_8)).isZero();
        Path folder = onlyRunFolder();
        JsonNode records = new ObjectMapper().readTree(
                folder.resolve("benchmark_results_" + folder.getFileName() + ".json").toFile()).get("results");
        List<String> order = new java.util.ArrayList<>();
        records.forEach(
                r -> order.add(r.get("backend").asText() + " " + r.get("case").asText() + " W=" + r.get("workers")));
        assertThat(order).containsExactly("memory enqueue_single W=1", "redelivering enqueue_single W=1",
                "memory drain_noop_single W=1", "redelivering drain_noop_single W=1",
                "memory drain_noop_single W=2", "redelivering drain_noop_single W=2");
    }

    @Test
    void aJobTheBackendDropsIsReportedLostAndTheRunExitsOne() throws IOException {
        int status = run(Map.of("backend", "dropping", "suite", "stress", "scenario", "smoke", "jobs", "300"));

        assertThat(status).isEqualTo(1);
        JsonNode burst = record(onlyRunFolder(), "burst");
        assertThat(burst.get("jobs_lost").asLong()).isEqualTo(1);
        assertThat(burst.get("lost_sample").get(0).asText())
                .matches("qb_stress_[0-9a-f]{6}/" + FaultyBackends.DroppingBackend.DROPPED_ID);
        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .contains("JOBS LOST", FaultyBackends.DroppingBackend.DROPPED_ID);
    }

    @Test
    void aJobRedeliveredWhileItsLeaseIsValidIsReportedDuplicated() throws IOException {
        int status = run(Map.of("backend", "redelivering", "suite", "stress", "scenario", "smoke", "jobs", "300"));

        assertThat(status).as("a duplicate is reported, not a loss").isZero();
        JsonNode burst = record(onlyRunFolder(), "burst");
        assertThat(burst.get("jobs_duplicated").asLong()).isEqualTo(1);
        assertThat(burst.get("jobs_lost").asLong()).isZero();
    }

    @Test
    void anUnreachableBackendFailsBeforeAnyCaseWithItsRedactedAddressAndNoStackTrace() throws IOException {
        int status = run(Map.of("backend", "memory,unreachable", "scenario", "smoke"));

        String message = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(1);
        assertThat(message).contains("redis://bench:****@127.0.0.1:1", "is the server running")
                .doesNotContain("s3cret", "\tat ");
        try (Stream<Path> folders = Files.list(results)) {
            assertThat(folders).as("no case ran, so no run folder").isEmpty();
        }
    }

    @Test
    void aKeyTheProviderDoesNotAcceptFailsBeforeAnyCaseNamingTheAcceptedKeys() throws IOException {
        int status = run(Map.of("backend", "memory", "memory.colour", "red"));

        assertThat(status).isEqualTo(1);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("'colour'", "backoffBase");
        try (Stream<Path> folders = Files.list(results)) {
            assertThat(folders).isEmpty();
        }
    }

    @Test
    void aBaselineRunIsComparedFigureByFigureInTheMarkdownAndTheJson() throws IOException {
        Map<String, String> options = Map.of("backend", "memory", "suite", "concurrency", "scenario", "smoke",
                "workers", "2", "jobs", "200", "virtualThreads", "true");
        assertThat(run(options)).isZero();
        Path first = onlyRunFolder();
        Path second = results.resolve("second");
        Map<String, String> again = new HashMap<>(options);
        again.put("baseline", first.toString());
        again.put("results", second.toString());

        assertThat(Main.run(again, err)).as("not strict: a regression is reported, not fatal").isZero();

        Path folder = onlyFolder(second);
        assertThat(folder.resolve("benchmark_report_" + folder.getFileName() + ".md")).content()
                .contains("## Comparison with baseline " + first.getFileName(), "| contend_monitor | 2 | 1 |",
                        "throughput_jobs_per_sec | higher");
        JsonNode comparison = new ObjectMapper().readTree(
                folder.resolve("benchmark_results_" + folder.getFileName() + ".json").toFile()).get("comparison");
        assertThat(comparison.get("baseline_run_id").asText()).isEqualTo(first.getFileName().toString());
        assertThat(comparison.get("threshold").asDouble()).isEqualTo(RunOptions.DEFAULT_REGRESSION_THRESHOLD);
        assertThat(comparison.get("changes")).hasSize(1);
    }

    @Test
    void aThirtyPercentThroughputDropAgainstTheBaselineExitsOneUnderStrict() throws IOException {
        // io jobs sleep 10 ms each, so the rate of a drain of 100 of them is steady: a 30 % drop is outside its noise
        Map<String, String> options = Map.of("backend", "memory", "suite", "throughput", "scenario", "smoke",
                "task", "io", "workers", "2", "batch", "1", "jobs", "5000",
                "results", results.resolve("first").toString());
        assertThat(Main.run(options, err)).isZero();
        Path baseline = inflatedThroughput(onlyFolder(results.resolve("first")), 1 / 0.7);
        Map<String, String> strict = new HashMap<>(options);
        strict.putAll(Map.of("baseline", baseline.toString(), "strict", "true",
                "results", results.resolve("second").toString()));

        assertThat(Main.run(strict, err)).isEqualTo(1);

        Path folder = onlyFolder(results.resolve("second"));
        JsonNode changes = new ObjectMapper().readTree(
                folder.resolve("benchmark_results_" + folder.getFileName() + ".json").toFile())
                .at("/comparison/changes");
        JsonNode drain = null;
        for (JsonNode change : changes) {
            drain = change.get("case").asText().equals("drain_io_single") ? change : drain;
        }
        assertThat(drain).isNotNull();
        assertThat(drain.get("verdict").asText()).isEqualTo("REGRESSION");
        assertThat(drain.get("ratio").asDouble()).isLessThan(1 - RunOptions.DEFAULT_REGRESSION_THRESHOLD);
        assertThat(folder.resolve("benchmark_report_" + folder.getFileName() + ".md")).content()
                .contains("**REGRESSION** | memory | monitor | drain_io_single");
    }

    @Test
    void anIoDrainClaimsAheadByDefaultANoopDrainDoesNotAndEachRecordSaysWhereItsLoopsTimeWent() throws IOException {
        int status = run(Map.of("backend", "memory", "suite", "throughput", "scenario", "smoke", "task", "io,noop",
                "workers", "2", "batch", "1", "jobs", "1000"));

        assertThat(status).isZero();
        JsonNode io = record(onlyRunFolder(), "drain_io_single").get("details");
        assertThat(io.get("claim_ahead").asBoolean()).isTrue();
        assertThat(io.get("handler_mean_ms").asDouble()).as("a 10 ms sleep and the harness").isGreaterThan(10);
        assertThat(io.get("loop_ms_per_job").asDouble()).isGreaterThanOrEqualTo(io.get("handler_mean_ms").asDouble());
        JsonNode noop = record(onlyRunFolder(), "drain_noop_single");
        assertThat(noop.get("details").get("claim_ahead").asBoolean()).isFalse();
        assertThat(noop.get("rerun").asText()).doesNotContain("claimAhead");
        Path folder = onlyRunFolder();
        assertThat(folder.resolve("benchmark_report_" + folder.getFileName() + ".md")).content()
                .contains("and sends its acknowledgements, while its last job runs): `drain_io_single`.");
    }

    /** A copy of a run folder's combined file whose throughput figures (each repetition's too) are multiplied. */
    private Path inflatedThroughput(Path run, double factor) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path file = run.resolve("benchmark_results_" + run.getFileName() + ".json");
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        for (JsonNode record : root.get("results")) {
            for (String field : List.of("throughput_jobs_per_sec", "throughput_min", "throughput_max")) {
                ((ObjectNode) record).put(field, record.get(field).asDouble() * factor);
            }
            for (JsonNode repetition : record.get("repetitions")) {
                ((ObjectNode) repetition).put("throughput_jobs_per_sec",
                        repetition.get("throughput_jobs_per_sec").asDouble() * factor);
            }
        }
        Path folder = Files.createDirectories(results.resolve("inflated"));
        json.writeValue(folder.resolve(file.getFileName()).toFile(), root);
        return folder;
    }

    @Test
    void aTargetsFileSetsTheTargetsAndUnderStrictAMissExitsOne() throws IOException {
        Path targets = Files.writeString(results.resolve("targets.yaml"), "latency_p50_max_ms: 0.000001\n");
        Map<String, String> options = Map.of("backend", "memory", "suite", "latency", "scenario", "smoke",
                "duration", "1", "targets", targets.toString(), "strict", "true",
                "results", results.resolve("runs").toString());

        assertThat(Main.run(options, err)).isEqualTo(1);

        try (Stream<Path> folders = Files.list(results.resolve("runs"))) {
            Path folder = folders.findFirst().orElseThrow();
            JsonNode combined = new ObjectMapper().readTree(
                    folder.resolve("benchmark_results_" + folder.getFileName() + ".json").toFile());
            assertThat(combined.at("/targets/latency_p50_max_ms").asDouble()).isEqualTo(0.000001);
            assertThat(combined.at("/targets/latency_p99_max_ms").asDouble()).isEqualTo(1000);
            assertThat(combined.findValuesAsText("metric")).contains("latency_p50_ms");
            assertThat(combined.get("exit_status").asInt()).isEqualTo(1);
        }
    }

    private int run(Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.put("results", results.toString());
        return Main.run(all, err);
    }

    private Path onlyRunFolder() throws IOException {
        return onlyFolder(results);
    }

    private static Path onlyFolder(Path parent) throws IOException {
        try (Stream<Path> folders = Files.list(parent)) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        }
    }

    private static JsonNode record(Path folder, String caseName) throws IOException {
        Path combined = folder.resolve("benchmark_results_" + folder.getFileName() + ".json");
        for (JsonNode record : new ObjectMapper().readTree(combined.toFile()).get("results")) {
            if (record.get("case").asText().equals(caseName)) {
                return record;
            }
        }
        throw new AssertionError("no case " + caseName + " in " + combined);
    }
}
