package dev.queuebench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
                .contains("## memory", "## Targets", "PASS", "Reproduce: `./mvnw -pl benchmark-suite -am compile exec:java");

        JsonNode combined = new ObjectMapper().readTree(folder.resolve("benchmark_results_" + stamp + ".json").toFile());
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

        RunReport parsed = ReportWriter.read(folder.resolve("benchmark_results_" + stamp + ".json"));
        assertThat(parsed.results()).hasSize(combined.get("results").size());
        assertThat(parsed.results()).allSatisfy(r -> assertThat(r.jobsEnqueued()).isEqualTo(r.jobsCompleted() + r.jobsDead()));
    }

    @Test
    void aJobTheBackendDropsIsReportedLostAndTheRunExitsOne() throws IOException {
        int status = run(Map.of("backend", "dropping", "suite", "stress", "scenario", "smoke", "jobs", "300"));

        assertThat(status).isEqualTo(1);
        JsonNode burst = record(onlyRunFolder(), "burst");
        assertThat(burst.get("jobs_lost").asLong()).isEqualTo(1);
        assertThat(burst.get("lost_sample").get(0).asText()).isEqualTo("qb_stress/" + FaultyBackends.DroppingBackend.DROPPED_ID);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("JOBS LOST", FaultyBackends.DroppingBackend.DROPPED_ID);
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
    void aBaselineRunIsComparedCaseByCaseInTheMarkdown() throws IOException {
        Map<String, String> options = Map.of("backend", "memory", "suite", "concurrency", "scenario", "smoke",
                "workers", "2", "jobs", "200", "virtualThreads", "true");
        assertThat(run(options)).isZero();
        Path first = onlyRunFolder();
        Path second = results.resolve("second");
        Map<String, String> again = new HashMap<>(options);
        again.put("baseline", first.toString());
        again.put("results", second.toString());

        assertThat(Main.run(again, err)).isZero();

        try (Stream<Path> folders = Files.list(second)) {
            Path folder = folders.findFirst().orElseThrow();
            assertThat(folder.resolve("benchmark_report_" + folder.getFileName() + ".md")).content()
                    .contains("baseline: run " + first.getFileName(), "baseline jobs/s", " %");
        }
    }

    @Test
    void aTargetsFileSetsTheTargetsAndUnderStrictAMissExitsOne() throws IOException {
        Path targets = Files.writeString(results.resolve("targets.yaml"), "latency_p50_max_ms: 0.000001\n");
        Map<String, String> options = Map.of("backend", "memory", "suite", "latency", "scenario", "smoke",
                "duration", "1", "targets", targets.toString(), "strict", "true", "results", results.resolve("runs").toString());

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
        try (Stream<Path> folders = Files.list(results)) {
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
