package dev.queuebench.suite.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos cases end to end through {@link Main}, each short (two seconds of load): what each fault must leave behind
 * in the ledger, and that a case that does not apply says why.
 */
class ChaosSuiteTest {
    @TempDir
    Path results;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @Test
    void poisonJobsEndDeadAndStaleCompletesAreRefusedWhileInapplicableCasesSaySkippedWhy() throws IOException {
        int status = run(Map.of("backend", "memory", "cases", "poison,lease-too-short,kill-worker,sqlite-crash"));

        assertThat(status).as(this::explain).isZero();
        JsonNode poison = record("memory", "poison");
        assertThat(poison.get("jobs_lost").asLong()).isZero();
        assertThat(poison.get("jobs_dead").asLong()).isPositive()
                .isEqualTo(poison.get("details").get("poison_jobs").asLong());
        assertThat(poison.get("jobs_completed").asLong() + poison.get("jobs_dead").asLong())
                .isEqualTo(poison.get("jobs_enqueued").asLong());

        JsonNode lease = record("memory", "lease-too-short");
        assertThat(lease.get("jobs_lost").asLong()).isZero();
        assertThat(lease.get("jobs_duplicated").asLong()).isPositive();
        assertThat(lease.get("details").get("stale_completes_refused").asLong()).isPositive();
        assertThat(lease.get("details").get("stale_completes_accepted").asLong()).isZero();
        assertThat(lease.get("details").has(CaseStatus.VIOLATION)).isFalse();

        assertThat(record("memory", "kill-worker").get("details").get(CaseStatus.SKIPPED).asText()).contains("JVM");
        assertThat(record("memory", "sqlite-crash").get("details").get(CaseStatus.SKIPPED).asText())
                .contains("declares no writer crash");
    }

    @Test
    void failoverRunsOnlyWhenNamedAndABackendWithoutAClusterFormSaysWhyInOneLine() throws IOException {
        assertThat(ChaosCase.labels()).contains("failover");
        assertThat(ChaosCase.defaultLabels()).doesNotContain("failover")
                .containsExactlyElementsOf(ChaosCase.labels().stream().filter(l -> !l.equals("failover")).toList());

        int status = run(Map.of("backend", "memory", "cases", "failover"));

        assertThat(status).as(this::explain).isZero();
        assertThat(record("memory", "failover").get("details").get(CaseStatus.SKIPPED).asText())
                .contains("declares no cluster form").doesNotContain("\n");
    }

    @Test
    void aKilledWorkerProcessesJobsAndACrashedWritersCommittedJobsAreAllCompleted() throws IOException {
        int status = run(Map.of("backend", "sqlite", "cases", "kill-worker,sqlite-crash"));

        assertThat(status).as(this::explain).isZero();
        JsonNode kill = record("sqlite", "kill-worker");
        assertThat(kill.get("jobs_lost").asLong()).isZero();
        assertThat(kill.get("jobs_completed").asLong()).isEqualTo(kill.get("jobs_enqueued").asLong()).isPositive();
        assertThat(kill.get("details").get("processes").asInt()).isEqualTo(2);
        assertThat(ProcessHandle.of(kill.get("details").get("killed_pid").asLong())).isEmpty();
        JsonNode unconfirmed = kill.get("details").get(BackendUnderTest.COMPLETED_UNCONFIRMED + "_jobs");
        assertThat(unconfirmed.size()).as("every completed_unconfirmed job with its evidence")
                .isEqualTo(kill.get("details").get(BackendUnderTest.COMPLETED_UNCONFIRMED).asInt());
        unconfirmed.forEach(job -> assertThat(job.get("evidence").asText()).contains("the backend no longer had it"));
        JsonNode crash = record("sqlite", "sqlite-crash");
        assertThat(crash.get("details").get("acknowledged_before_kill").asLong()).isPositive();
        assertThat(crash.get("jobs_lost").asLong()).isZero();
        assertThat(crash.get("details").get("reopened_cleanly").asBoolean()).isTrue();
    }

    @Test
    void serverFaultsRunOnThrowawayServersThatAreRemovedAfterAndOnlyVolatileLossIsExpected() throws IOException {
        int status = run(Map.of("backend", "postgres,redis", "cases", "connection-kill,server-restart"));

        assertThat(status).as(this::explain).isZero();
        for (String backend : List.of("postgres", "redis")) {
            JsonNode kill = record(backend, "connection-kill");
            assertThat(kill.get("jobs_lost").asLong()).as(backend).isZero();
            assertThat(kill.get("details").get("connections_killed").asInt()).as(backend).isPositive();
            String server = kill.get("details").get("throwaway_server").asText();
            Path folder = Path.of(server.substring(server.indexOf(" in ") + 4, server.indexOf(';')));
            assertThat(folder).as("removed after the suite").doesNotExist();
        }
        JsonNode pgRestart = record("postgres", "server-restart");
        assertThat(pgRestart.get("jobs_lost").asLong()).isZero();
        assertThat(pgRestart.get("details").get("loss_expected").asBoolean()).isFalse();
        JsonNode redisRestart = record("redis", "server-restart");
        assertThat(redisRestart.get("details").get("loss_expected").asBoolean()).isTrue();
        assertThat(redisRestart.get("details").get("durability").asText()).isEqualTo("VOLATILE");
    }

    @Test
    void aTwoSecondPauseOfTheServerShowsInTheLatencyPercentiles() throws IOException {
        int status = run(Map.of("backend", "redis", "cases", "server-pause"));

        assertThat(status).as(this::explain).isZero();
        JsonNode pause = record("redis", "server-pause");
        assertThat(pause.get("jobs_lost").asLong()).isZero();
        assertThat(pause.get("details").get("pause_ms").asLong()).as(this::explain).isEqualTo(2_000);
        assertThat(pause.get("latency_ms").get("max").asDouble())
                .as(() -> "jobs intended during the pause waited it out\n" + explain()).isGreaterThanOrEqualTo(1_500);
    }

    @Test
    void drainsSpreadOverWorkerProcessesReportIntoTheSameLedger() throws IOException {
        Map<String, String> options = new HashMap<>(Map.of("backend", "sqlite", "suite", "stress", "processes", "2",
                "workers", "4", "jobs", "300", "scenario", "smoke"));
        options.put("results", results.toString());
        int status = Main.run(options, new PrintStream(errBytes, true, StandardCharsets.UTF_8));

        assertThat(status).as(this::explain).isZero();
        for (JsonNode r : records()) {
            assertThat(r.get("details").get("processes").asInt()).as(r.get("case").asText()).isEqualTo(2);
            assertThat(r.get("jobs_lost").asLong()).isZero();
            assertThat(r.get("jobs_completed").asLong() + r.get("jobs_dead").asLong())
                    .isEqualTo(r.get("jobs_enqueued").asLong()).isPositive();
        }
    }

    private int run(Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.putAll(Map.of("suite", "chaos", "scenario", "smoke", "duration", "2", "results", results.toString()));
        return Main.run(all, new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private JsonNode record(String backend, String caseName) throws IOException {
        return records().stream()
                .filter(r -> r.get("backend").asText().equals(backend) && r.get("case").asText().equals(caseName))
                .findFirst().orElseThrow(() -> new AssertionError("no record " + backend + "/" + caseName));
    }

    private List<JsonNode> records() throws IOException {
        try (Stream<Path> files = Files.walk(results)) {
            Path combined = files.filter(f -> f.getFileName().toString().startsWith("benchmark_results_"))
                    .findFirst().orElseThrow();
            List<JsonNode> all = new ArrayList<>();
            new ObjectMapper().readTree(combined.toFile()).get("results").forEach(all::add);
            return all;
        }
    }

    /** The error output and every record's details, to say why a run failed. */
    private String explain() {
        StringBuilder text = new StringBuilder(err());
        try {
            records().forEach(r -> text.append('\n').append(r.get("backend").asText()).append(' ')
                    .append(r.get("case").asText()).append(' ').append(r.get("details")));
        } catch (IOException | RuntimeException e) {
            text.append("\nno results: ").append(e.getMessage());
        }
        return text.toString();
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }
}
