package dev.queuebench.suite;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * Everything a run wrote, as one JSON document: the combined file holds every record, each suite's file the same
 * envelope with that suite's records only. Times are ISO-8601 UTC.
 *
 * @param command       the command that reproduces the run
 * @param configuration each backend's configuration with secrets redacted
 * @param exitStatus    what the run exited with (see SUITE.md: 0 complete and nothing lost)
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
        Targets targets,
        int exitStatus,
        List<ResultRecord> results) {

    public static final int SCHEMA_VERSION = 1;

    /** Where the run ran; {@code servers} holds each backend's {@code serverInfo()}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Environment(String gitCommit, String jdk, String os, int cores, long maxHeapBytes,
            boolean virtualThreads, Map<String, Map<String, String>> servers) {}

    /** The same report with only {@code suite}'s records. */
    public RunReport onlySuite(String suite) {
        return new RunReport(schemaVersion, runId, startedAt, finishedAt, scenario, command, environment,
                configuration, targets, exitStatus, results.stream().filter(r -> r.suite().equals(suite)).toList());
    }
}
