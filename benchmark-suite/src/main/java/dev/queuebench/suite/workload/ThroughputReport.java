package dev.queuebench.suite.workload;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.report.Plot;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.SelectionSummary;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.report.Table;
import dev.queuebench.suite.report.Targets;
import dev.queuebench.suite.run.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What the report shows of the throughput suite: its table, the drain charts against workers, the throughput
 * targets on the {@code noop} drains, peak throughput, throughput per worker, scaling and cost per job in the
 * selection summary, and the durability picks.
 */
final class ThroughputReport implements SuiteReport {
    private static final String PEAK = "peak throughput";

    @Override
    public List<String> tables(List<ResultRecord> mine, List<String> targets) {
        String batches = mine.stream()
                .filter(r -> r.setup().batch() > 1)
                .map(r -> Integer.toString(r.setup().batch()))
                .distinct()
                .collect(Collectors.joining(" or "));
        String claimingAhead = mine.stream()
                .filter(r -> r.details() != null && Boolean.TRUE.equals(r.details().get(Drain.CLAIM_AHEAD)))
                .map(r -> "`" + r.id().caseName() + "`")
                .distinct()
                .collect(Collectors.joining(", "));
        Table table = new Table("**Throughput**, jobs/s, median (min–max when repeated): `enqueue_*` one producer"
                + " thread; `drain_*` a pre-filled queue drained by W workers; `_single` acknowledges each job with"
                + " `complete`, `_batched` claims " + (batches.isEmpty() ? Scenario.DEFAULT_BATCH : batches)
                + " at a time and acknowledges them with one `completeAll`."
                + (claimingAhead.isEmpty() ? "" : " Claiming ahead (`claimAhead`: each worker claims its next batch,"
                        + " and sends its acknowledgements, while its last job runs): " + claimingAhead + "."),
                "case");
        for (ResultRecord r : mine) {
            String name = r.id().caseName();
            table.cell(name + (name.startsWith("enqueue") ? "" : " W=" + r.setup().workers()), r,
                    Table.num(r.throughput().jobsPerSec()) + (r.throughput().repeats() > 1 ? " ("
                            + Table.num(r.throughput().min()) + "–" + Table.num(r.throughput().max()) + ")" : "")
                            + Table.note(r));
        }
        return table.lines(targets);
    }

    @Override
    public List<Plot> charts(List<ResultRecord> mine, List<String> targets) {
        List<Plot.Line> throughput = new ArrayList<>();
        List<Plot.Line> cost = new ArrayList<>();
        for (String path : List.of("batched", "single")) {
            throughput.addAll(Plot.overWorkers(targets, mine, r -> r.id().caseName().equals("drain_noop_" + path),
                    r -> r.throughput().jobsPerSec(), path));
            cost.addAll(Plot.overWorkers(targets, mine, r -> r.id().caseName().equals("drain_noop_" + path)
                    && r.costPer1kJobs() != null && r.costPer1kJobs().cpuMs() != null,
                    r -> r.costPer1kJobs().cpuMs(), path));
        }
        List<Plot> plots = new ArrayList<>(List.of(
                new Plot("throughput_vs_workers", "Drain throughput against workers (noop jobs)", Plot.Axis.WORKERS,
                        "jobs/s (log scale)", true, "Drain throughput of noop jobs against workers: solid lines"
                        + " claim and acknowledge in batches, dashed lines one job at a time.", throughput),
                new Plot("cpu_per_1k_jobs_vs_workers", "CPU per 1,000 noop jobs against workers (client + server)",
                        Plot.Axis.WORKERS, "CPU ms", false, "CPU time per 1,000 noop jobs (enqueue to complete),"
                        + " client threads plus server processes, against workers: solid lines batched, dashed one"
                        + " at a time.", cost)));
        overRoundTrip(mine, targets).ifPresent(plots::add);
        return plots;
    }

    /**
     * The network scenario's chart: noop drain throughput against the round trip it ran at, batched and one at a
     * time, per target, at the most workers those drains had; empty when no record ran at a set round trip.
     */
    private static Optional<Plot> overRoundTrip(List<ResultRecord> mine, List<String> targets) {
        List<ResultRecord> atRtt = mine.stream().filter(r -> noopDrain(r) && r.rttSetMs().isPresent()).toList();
        if (atRtt.isEmpty()) {
            return Optional.empty();
        }
        int workers = atRtt.stream().mapToInt(r -> r.setup().workers()).max().orElse(0);
        List<Plot.Line> lines = new ArrayList<>();
        for (String path : List.of("batched", "single")) {
            lines.addAll(Plot.overRoundTrip(targets, atRtt, r -> r.setup().workers() == workers
                    && r.id().caseName().startsWith("drain_noop_" + path + "_rtt_"), r -> r.throughput().jobsPerSec(),
                    path));
        }
        return Optional.of(new Plot("throughput_vs_rtt", "Drain throughput against round trip (noop jobs, W="
                + workers + ")", Plot.Axis.ROUND_TRIP, "jobs/s (log scale)", true, "Drain throughput of noop jobs"
                + " at W=" + workers + " against the round trip the lab set between the consumers (on its agents)"
                + " and the servers (the measured one is in each case's `rtt_measured_ms`): solid lines claim and"
                + " acknowledge in batches, dashed lines one job at a time. The queue is filled from the coordinator,"
                + " outside the round trip; a backend in a file (SQLite) has no network to cross.", lines));
    }

    /**
     * SUITE.md's throughput targets name a worker count; each is checked on the {@code noop} drains at the smallest
     * measured W at or above it (5 → 8, 10 → 16 with the default sweep), both paths.
     */
    @Override
    public List<TargetResult> targets(Targets targets, ResultRecord r, List<ResultRecord> mine) {
        if (!r.id().caseName().startsWith("drain_noop")) {
            return List.of();
        }
        List<Integer> measured = mine.stream()
                .filter(o -> o.id().backend().equals(r.id().backend()) && o.id().strategy().equals(r.id().strategy())
                        && o.id().caseName().equals(r.id().caseName()))
                .map(o -> o.setup().workers())
                .sorted()
                .toList();
        List<TargetResult> results = new ArrayList<>();
        targets.throughputMinJobsPerSec().forEach((workers, min) -> {
            Optional<Integer> at = measured.stream().filter(w -> w >= workers).findFirst();
            if (at.isPresent() && at.get() == r.setup().workers()) {
                results.add(new TargetResult("throughput_jobs_per_sec_" + workers + "_workers", ">", min,
                        r.throughput().jobsPerSec(), r.throughput().jobsPerSec() > min));
            }
        });
        return results;
    }

    @Override
    public List<Dimension> dimensions(SelectionSummary summary, List<ResultRecord> mine) {
        List<Dimension> dimensions = new ArrayList<>();
        dimensions.add(new Dimension(PEAK, "best drain of noop jobs at any W, either path", "jobs/s", true,
                summary.perTarget(mine, m -> SelectionSummary.max(m, ThroughputReport::noopDrain,
                        r -> r.throughput().jobsPerSec()))));
        int topW = topWorkers(mine);
        dimensions.add(new Dimension("throughput per worker", "noop drain at W=" + topW + ", best path, ÷ W",
                "jobs/s per worker", true, summary.perTarget(mine, m -> SelectionSummary.max(m,
                        r -> noopDrain(r) && r.setup().workers() == topW, r -> r.throughput().jobsPerSecPerWorker()))));
        int lowW = mine.stream().filter(ThroughputReport::noopDrain).mapToInt(r -> r.setup().workers()).min()
                .orElse(0);
        int highW = mine.stream().filter(ThroughputReport::noopDrain).mapToInt(r -> r.setup().workers())
                .filter(w -> w <= 16).max().orElse(0);
        if (highW > lowW) {
            dimensions.add(new Dimension("scaling " + lowW + "→" + highW + " workers", "best noop drain at W="
                    + highW + " ÷ at W=" + lowW, "×", true, summary.perTarget(mine, m -> {
                        OptionalDouble high = SelectionSummary.max(m,
                                r -> noopDrain(r) && r.setup().workers() == highW, r -> r.throughput().jobsPerSec());
                        OptionalDouble low = SelectionSummary.max(m,
                                r -> noopDrain(r) && r.setup().workers() == lowW, r -> r.throughput().jobsPerSec());
                        return high.isPresent() && low.isPresent() && low.getAsDouble() > 0
                                ? OptionalDouble.of(high.getAsDouble() / low.getAsDouble()) : OptionalDouble.empty();
                    })));
        }
        return dimensions;
    }

    @Override
    public List<Dimension> costDimensions(SelectionSummary summary, List<ResultRecord> mine) {
        int topW = topWorkers(mine);
        return List.of(new Dimension("cheapest per job", "client + server CPU per 1,000 jobs of the noop drain at"
                + " W=" + topW + ", cheaper path (an in-process backend's work is all client)", "CPU ms", false,
                summary.perTarget(mine, m -> SelectionSummary.min(m, r -> noopDrain(r) && r.setup().workers() == topW
                        && r.costPer1kJobs() != null && r.costPer1kJobs().cpuMs() != null,
                        r -> r.costPer1kJobs().cpuMs()))));
    }

    /** The fastest target at each level of durability, by peak throughput. */
    @Override
    public Map<String, String> picks(SelectionSummary summary, Map<String, Dimension> shown,
            List<ResultRecord> mine) {
        Dimension peak = shown.get(PEAK);
        Map<String, String> picks = new LinkedHashMap<>();
        if (peak != null) {
            picks.put("Most jobs per second, whatever the durability", summary.fastest(peak, Durability.PROCESS));
            picks.put("Jobs shared by several processes (held outside the producing process)",
                    summary.fastest(peak, Durability.VOLATILE));
            picks.put("Jobs must survive a crash of the process or the server",
                    summary.fastest(peak, Durability.CRASH_SAFE));
            picks.put("Every job on stable storage before its enqueue returns",
                    summary.fastest(peak, Durability.DURABLE));
        }
        return picks;
    }

    @Override
    public Optional<String> costRow(ResultRecord r) {
        String name = r.id().caseName();
        return Optional.of(name + (name.startsWith("enqueue") ? "" : " W=" + r.setup().workers()));
    }

    private static boolean noopDrain(ResultRecord r) {
        return r.id().caseName().startsWith("drain_noop");
    }

    /** The most workers a noop drain had. */
    private static int topWorkers(List<ResultRecord> mine) {
        return mine.stream().filter(ThroughputReport::noopDrain).mapToInt(r -> r.setup().workers()).max().orElse(0);
    }
}
