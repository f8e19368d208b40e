package dev.queuebench.suite.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.queuebench.api.Capabilities;
import dev.queuebench.suite.run.Suites;
import java.util.List;
import java.util.Map;

/**
 * Everything a run wrote, as one JSON document: the combined file holds every record, each suite's file the same
 * envelope with that suite's records only. Times are ISO-8601 UTC.
 *
 * @param command       the command that reproduces the run
 * @param configuration each backend's configuration with secrets redacted, by {@code backend/strategy}
 * @param capabilities  what each backend declares (durability first), by {@code backend/strategy}
 * @param exitStatus    what the run exited with (see SUITE.md: 0 complete and nothing lost)
 * @param comparison    the comparison with {@code -Dbaseline}, or null without one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunReport(
        int schemaVersion,
        String runId,
        String startedAt,
        String finishedAt,
        String scenario,
        String command,
        Environment environment,
        Map<String, Map<String, String>> configuration,
        Map<String, Declared> capabilities,
        Targets targets,
        int exitStatus,
        @JsonInclude(JsonInclude.Include.NON_NULL) Comparison comparison,
        List<ResultRecord> results) {

    /** 2: per-repetition figures, latency percentile curves, capabilities and the baseline comparison. */
    public static final int SCHEMA_VERSION = 3;

    public RunReport {
        capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities); // absent in schema 1 files
    }

    /** A backend's {@link dev.queuebench.api.Capabilities} as written in the JSON. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Declared(Capabilities.Durability durability, Capabilities.Ordering ordering, boolean atomicBatch,
            int maxPayloadBytes, boolean wakeOnEnqueue) {

        /** What {@code c} declares. */
        public static Declared of(Capabilities c) {
            return new Declared(c.durability(), c.ordering(), c.atomicBatch(), c.maxPayloadBytes(), c.wakeOnEnqueue());
        }
    }

    /**
     * Where the run ran; {@code servers} holds each backend's {@code serverInfo()}; {@code cpu} and
     * {@code memory_bytes} come from {@code /proc} (unknown and 0 elsewhere).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Environment(String gitCommit, String jdk, String os, String cpu, int cores, long memoryBytes,
            long maxHeapBytes, boolean virtualThreads, Map<String, Map<String, String>> servers) {}

    /** The same report with only {@code suite}'s records. */
    public RunReport onlySuite(String suite) {
        return new RunReport(schemaVersion, runId, startedAt, finishedAt, scenario, command, environment,
                configuration, capabilities, targets, exitStatus, comparison,
                Suites.recordsOf(suite, results));
    }
}
