package dev.queuebench.suite.conformance;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite run as a user runs it: the kit against the memory backend and against
 * {@link StaleCompleteAccepting}, side by side in one run.
 */
class ConformanceSuiteTest {
    private static final String STALE_CLAUSE = "staleLeaseCannotCompleteFailOrExtendAfterRedelivery";
    private static final String DURABILITY_CLAUSE = "jobOutlivesTheBackendThatEnqueuedItUnlessDurabilityIsProcess";

    @TempDir
    Path results;

    @Test
    void everyClausePassesOnMemoryAndTheBrokenClauseShowsFailedWithItsMessageInTheMatrix() throws IOException {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int status = Main.run(Map.of("backend", "memory,stale-accepting", "suite", "conformance", "scenario", "smoke",
                "results", results.toString()), new PrintStream(errBytes, true, StandardCharsets.UTF_8));

        assertThat(status).as("a failed clause is a violation: " + errBytes).isEqualTo(1);
        Path folder = onlyFolder();
        String stamp = folder.getFileName().toString();
        Map<String, Map<String, JsonNode>> byBackend = new TreeMap<>();
        for (JsonNode r : new ObjectMapper().readTree(folder.resolve("conformance_results_" + stamp + ".json")
                .toFile()).get("results")) {
            byBackend.computeIfAbsent(r.get("backend").asText(), b -> new TreeMap<>()).put(r.get("case").asText(), r);
        }
        List<String> clauses = KitLauncher.clauses();
        assertThat(clauses).hasSizeGreaterThan(40).doesNotHaveDuplicates().contains(STALE_CLAUSE, DURABILITY_CLAUSE);
        assertThat(byBackend.get("memory").keySet()).containsExactlyInAnyOrderElementsOf(clauses);
        assertThat(byBackend.get("stale-accepting").keySet()).containsExactlyInAnyOrderElementsOf(clauses);

        Map<String, JsonNode> memory = byBackend.get("memory");
        assertThat(verdicts(memory, "skipped")).containsExactly(DURABILITY_CLAUSE);
        assertThat(memory.get(DURABILITY_CLAUSE).get("details").get("capability").asText())
                .isEqualTo("Durability.PROCESS");
        assertThat(verdicts(memory, "passed")).hasSize(clauses.size() - 1);

        JsonNode stale = byBackend.get("stale-accepting").get(STALE_CLAUSE).get("details");
        assertThat(stale.get("conformance").asText()).isEqualTo("failed");
        assertThat(stale.get("message").asText()).startsWith("AssertionFailedError: Expecting value to be false")
                .doesNotContain("\n");
        assertThat(stale.get("violation").asText()).startsWith("clause failed: AssertionFailedError");

        String md = Files.readString(folder.resolve("benchmark_report_" + stamp + ".md"));
        assertThat(md).contains("**Conformance**", "| clause | memory/monitor | stale-accepting/monitor |",
                "| " + DURABILITY_CLAUSE + " | skip (Durability.PROCESS) | skip (Durability.PROCESS) |",
                "| " + STALE_CLAUSE + " | ✓ | **✗** AssertionFailedError: Expecting value to be false");
        assertThat(Files.readString(folder.resolve("benchmark_report_" + stamp + ".html")))
                .contains("<td>skip (Durability.PROCESS)</td>", "<strong>✗</strong>");
    }

    private static List<String> verdicts(Map<String, JsonNode> records, String verdict) {
        List<String> clauses = new ArrayList<>();
        records.forEach((clause, r) -> {
            if (r.get("details").get("conformance").asText().equals(verdict)) {
                clauses.add(clause);
            }
        });
        return clauses;
    }

    private Path onlyFolder() throws IOException {
        try (Stream<Path> folders = Files.list(results)) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        }
    }
}
