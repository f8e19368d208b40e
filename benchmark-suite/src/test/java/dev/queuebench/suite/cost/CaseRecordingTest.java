package dev.queuebench.suite.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuebench.suite.run.Main;
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

/** {@code -Dprofile=true}: one JFR file per case in the run folder, and its top lists in the JSON and the report. */
class CaseRecordingTest {
    @TempDir
    Path results;

    @Test
    void aProfiledRunWritesOneJfrFilePerCaseAndListsHotMethodsAndAllocationSitesPerCase() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> options = new HashMap<>(Map.of("backend", "memory", "suite", "throughput",
                "scenario", "smoke", "workers", "2", "jobs", "10000", "task", "cpu", "profile", "true"));
        options.put("results", results.toString());

        int status = Main.run(options, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path folder;
        try (Stream<Path> folders = Files.list(results)) {
            folder = folders.findFirst().orElseThrow();
        }
        String stamp = folder.getFileName().toString();
        JsonNode records = new ObjectMapper().readTree(folder.resolve("benchmark_results_" + stamp + ".json").toFile())
                .get("results");
        List<String> files;
        try (Stream<Path> jfr = Files.list(folder.resolve("profiles"))) {
            files = jfr.map(f -> "profiles/" + f.getFileName()).sorted().toList();
        }
        assertThat(files).hasSize(records.size()).allMatch(f -> f.endsWith(".jfr"));
        for (JsonNode record : records) {
            JsonNode profile = record.at("/details/profile");
            assertThat(files).contains(profile.get("jfr").asText());
            assertThat(profile.get("hot_methods").size()).isLessThanOrEqualTo(CaseRecording.TOP);
            assertThat(profile.get("allocation_sites").size()).isLessThanOrEqualTo(CaseRecording.TOP);
            if (record.get("case").asText().startsWith("drain_cpu")) {
                assertThat(profile.get("hot_methods")).as("a case busy ~1 ms a job for ~0.5 s is sampled").isNotEmpty();
                assertThat(profile.get("allocation_sites")).as("and its allocations too").isNotEmpty();
            }
        }
        assertThat(folder.resolve("benchmark_report_" + stamp + ".md")).content()
                .contains("## Profiles", "| hot method (top frame) | samples | share | allocation site (class) |",
                        "### memory/monitor throughput drain_cpu_single");
    }
}
