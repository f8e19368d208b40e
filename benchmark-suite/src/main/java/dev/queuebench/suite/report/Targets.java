package dev.queuebench.suite.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.suite.report.ResultRecord.JobCounts;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.workload.ConcurrencySuite;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.ThroughputSuite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The targets a run is held to: SUITE.md's built-ins, or a targets file (JSON, or YAML by extension) that sets any
 * of them, e.g. {@code {"throughput_min_jobs_per_sec": {"1": 80}, "latency_p99_max_ms": 500}}.
 *
 * <p>Throughput targets name a worker count; SUITE.md's 1 / 5 / 10 are checked on the {@code noop} drains at the
 * smallest measured W at or above that count (5 → 8, 10 → 16 with the default sweep), both paths.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Targets(
        Map<Integer, Double> throughputMinJobsPerSec,
        double latencyP50MaxMs,
        double latencyP95MaxMs,
        double latencyP99MaxMs,
        int concurrencyMinWorkers,
        int lockErrorFreeUpToWorkers,
        double claimConflictRateMax) {

    public static final Targets BUILT_IN = new Targets(new TreeMap<>(Map.of(1, 50.0, 5, 200.0, 10, 300.0)),
            100, 500, 1000, 20, 10, 0.01);

    /** The built-ins, with whatever {@code file} sets instead. */
    public static Targets load(Optional<Path> file) {
        if (file.isEmpty()) {
            return BUILT_IN;
        }
        String name = file.get().getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        try {
            JsonNode node = mapper.readTree(file.get().toFile());
            if (node == null || !node.isObject()) {
                throw new ConfigurationException("option 'targets': " + file.get() + " must hold an object");
            }
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!List.of("throughput_min_jobs_per_sec", "latency_p50_max_ms", "latency_p95_max_ms",
                        "latency_p99_max_ms", "concurrency_min_workers", "lock_error_free_up_to_workers",
                        "claim_conflict_rate_max").contains(key)) {
                    throw new ConfigurationException("option 'targets': unknown target '" + key + "' in " + file.get());
                }
            }
            Map<Integer, Double> throughput = new TreeMap<>(BUILT_IN.throughputMinJobsPerSec());
            node.path("throughput_min_jobs_per_sec").properties()
                    .forEach(e -> throughput.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
            return new Targets(throughput,
                    node.path("latency_p50_max_ms").asDouble(BUILT_IN.latencyP50MaxMs()),
                    node.path("latency_p95_max_ms").asDouble(BUILT_IN.latencyP95MaxMs()),
                    node.path("latency_p99_max_ms").asDouble(BUILT_IN.latencyP99MaxMs()),
                    node.path("concurrency_min_workers").asInt(BUILT_IN.concurrencyMinWorkers()),
                    node.path("lock_error_free_up_to_workers").asInt(BUILT_IN.lockErrorFreeUpToWorkers()),
                    node.path("claim_conflict_rate_max").asDouble(BUILT_IN.claimConflictRateMax()));
        } catch (IOException | NumberFormatException e) {
            throw new ConfigurationException("option 'targets': cannot read " + file.get() + ": " + e.getMessage(), e);
        }
    }

    /** Every record with the targets that apply to it evaluated. */
    public List<ResultRecord> evaluate(List<ResultRecord> records) {
        List<ResultRecord> evaluated = new ArrayList<>();
        for (ResultRecord r : records) {
            List<TargetResult> results = new ArrayList<>();
            results.add(new TargetResult("jobs_lost", "==", 0, r.jobs().lost(),
                    r.jobs().lost() == 0 || r.status().lossExpected()));
            switch (r.id().suite()) {
                case ThroughputSuite.NAME -> throughputTargets(r, records, results);
                case LatencySuite.NAME -> {
                    results.add(below("latency_p50_ms", latencyP50MaxMs, r.latencyMs().p50()));
                    results.add(below("latency_p95_ms", latencyP95MaxMs, r.latencyMs().p95()));
                    results.add(below("latency_p99_ms", latencyP99MaxMs, r.latencyMs().p99()));
                }
                case ConcurrencySuite.NAME -> concurrencyTargets(r, records, results);
                default -> {}
            }
            evaluated.add(r.withTargets(results));
        }
        return evaluated;
    }

    private void throughputTargets(ResultRecord r, List<ResultRecord> all, List<TargetResult> results) {
        if (!r.id().caseName().startsWith("drain_noop")) {
            return;
        }
        List<Integer> measured = all.stream()
                .filter(o -> o.id().backend().equals(r.id().backend()) && o.id().strategy().equals(r.id().strategy())
                        && o.id().caseName().equals(r.id().caseName()))
                .map(o -> o.setup().workers())
                .sorted()
                .toList();
        throughputMinJobsPerSec.forEach((workers, min) -> {
            Optional<Integer> at = measured.stream().filter(w -> w >= workers).findFirst();
            if (at.isPresent() && at.get() == r.setup().workers()) {
                results.add(new TargetResult("throughput_jobs_per_sec_" + workers + "_workers", ">", min,
                        r.throughput().jobsPerSec(), r.throughput().jobsPerSec() > min));
            }
        });
    }

    private void concurrencyTargets(ResultRecord r, List<ResultRecord> all, List<TargetResult> results) {
        results.add(below("claim_conflict_rate", claimConflictRateMax, r.contention().claimConflictRate()));
        if (r.setup().workers() <= lockErrorFreeUpToWorkers) {
            results.add(new TargetResult("lock_errors_up_to_" + lockErrorFreeUpToWorkers + "_workers", "==", 0,
                    r.contention().lockErrors(), r.contention().lockErrors() == 0));
        }
        int most = all.stream()
                .filter(o -> o.id().suite().equals(r.id().suite()) && o.id().backend().equals(r.id().backend())
                        && o.id().strategy().equals(r.id().strategy()))
                .mapToInt(o -> o.setup().workers())
                .max()
                .orElse(0);
        if (r.setup().workers() == most) {
            JobCounts jobs = r.jobs();
            boolean clean = jobs.lost() == 0 && jobs.duplicated() == 0 && jobs.completed() == jobs.enqueued();
            int reached = clean ? r.setup().workers() : 0;
            results.add(new TargetResult("concurrent_workers", ">=", concurrencyMinWorkers, reached,
                    reached >= concurrencyMinWorkers));
        }
    }

    private static TargetResult below(String metric, double max, double actual) {
        return new TargetResult(metric, "<", max, actual, actual < max);
    }
}
