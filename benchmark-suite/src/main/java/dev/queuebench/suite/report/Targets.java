package dev.queuebench.suite.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.run.Suites;
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

    /** Every record with {@code jobs_lost} and the targets its suite holds it to evaluated. */
    public List<ResultRecord> evaluate(List<ResultRecord> records) {
        List<ResultRecord> evaluated = new ArrayList<>();
        for (ResultRecord r : records) {
            List<TargetResult> results = new ArrayList<>();
            results.add(new TargetResult("jobs_lost", "==", 0, r.jobs().lost(),
                    r.jobs().lost() == 0 || r.status().lossExpected()));
            String suite = r.id().suite();
            results.addAll(Suites.reportOf(suite).targets(this, r, Suites.recordsOf(suite, records)));
            evaluated.add(r.withTargets(results));
        }
        return evaluated;
    }
}
