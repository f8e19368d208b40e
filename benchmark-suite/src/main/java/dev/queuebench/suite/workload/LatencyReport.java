package dev.queuebench.suite.workload;

import dev.queuebench.suite.report.Comparison.Merit;
import dev.queuebench.suite.report.Plot;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.ResultRecord.OpLatency;
import dev.queuebench.suite.report.ResultRecord.PercentilePoint;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.SelectionSummary;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.report.Table;
import dev.queuebench.suite.report.Targets;
import dev.queuebench.suite.workers.LatencyStages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the report shows of the latency suite: its table, the per-stage breakdown (when the records have one), one
 * percentile chart per rate, the p50/p95/p99 targets,
 * p50 and p99 compared with a baseline, and the p99 at a fixed rate in the selection summary with its pick.
 */
final class LatencyReport implements SuiteReport {
    private static final String P99 = "p99 latency at a fixed rate";

    @Override
    public List<String> tables(List<ResultRecord> mine, List<String> targets) {
        Table table = new Table("**Latency**, ms from the job's intended enqueue time to its handler's start (open"
                + " loop, no coordinated omission), and the backend's own per-operation p99 (`claim` includes"
                + " waiting for a job, 50 ms at most).", "case");
        for (ResultRecord r : mine) {
            ResultRecord.Latency l = r.latencyMs();
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("p50", l.p50());
            figures.put("p90", l.p90());
            figures.put("p99", l.p99());
            figures.put("p99.9", l.p999());
            figures.put("max", l.max());
            figures.forEach((name, value) -> table.cell(r.id().caseName() + " " + name, r, Table.ms(value)));
            for (String op : List.of("enqueue", "claim", "complete")) {
                OpLatency o = r.operationsMs().get(op);
                table.cell(r.id().caseName() + " " + op + " p99", r, o == null ? "–" : Table.ms(o.p99()));
            }
        }
        List<String> lines = new ArrayList<>(table.lines(targets));
        lines.addAll(stages(mine));
        return lines;
    }

    /**
     * The stages of each case that has them ({@value LatencyStages#DETAIL}), a row per target and case, a column of
     * p50 / p99 per stage; none when no record has them (runs made before they were measured).
     */
    private static List<String> stages(List<ResultRecord> mine) {
        List<String> columns = List.of(LatencyStages.SCHEDULE_LAG, LatencyStages.ENQUEUE, LatencyStages.TO_CLAIM,
                LatencySuite.CLAIM_STATEMENT, LatencyStages.HANDLER_START, LatencyStages.TOTAL);
        List<String> md = new ArrayList<>();
        for (ResultRecord r : mine) {
            if (!(r.details().get(LatencyStages.DETAIL) instanceof Map<?, ?> stages)) {
                continue;
            }
            if (md.isEmpty()) {
                md.add("**Latency by stage**, p50 / p99 in ms of each stage's own distribution (they do not add up"
                        + " to the total's): `schedule_lag` intended time → enqueue call, `enqueue` the producer's"
                        + " call, `to_claim` its return → the return of the claim that took the job (wake-up and"
                        + " claim statement), `handler_start` that return → the handler's start, `total` intended"
                        + " time → handler start. `claim_statement` is the backend's own timer of the claim"
                        + " attempts that leased jobs, a value per claim call, not per job: the wake-up shows only"
                        + " as the distance between it and `to_claim`. – where a stage was not measured (see the"
                        + " record's `stages_ms.missing`).");
                md.add("");
                md.add("| target | case | " + String.join(" | ", columns) + " |");
                md.add("|---|---|" + "---:|".repeat(columns.size()));
            }
            md.add("| " + r.id().target() + " | " + r.id().caseName() + " | " + String.join(" | ", columns.stream()
                    .map(c -> stages.get(c) instanceof Map<?, ?> s && s.get("p50") instanceof Number p50
                            && s.get("p99") instanceof Number p99
                            ? Table.ms(p50.doubleValue()) + " / " + Table.ms(p99.doubleValue()) : "–")
                    .toList()) + " |");
        }
        if (!md.isEmpty()) {
            md.add("");
        }
        return md;
    }

    /**
     * One chart per rate, HdrHistogram style, a line per target for the first case at that rate: x is the number of
     * nines, y in ms on a log axis. The 100 % point (the max) has no place on that axis; the tables give it.
     */
    @Override
    public List<Plot> charts(List<ResultRecord> mine, List<String> targets) {
        Map<Object, ResultRecord> firstAtRate = new LinkedHashMap<>();
        mine.forEach(r -> firstAtRate.putIfAbsent(rate(r), r));
        List<Plot> plots = new ArrayList<>();
        for (ResultRecord first : firstAtRate.values()) {
            List<Plot.Line> lines = new ArrayList<>();
            for (ResultRecord r : mine) {
                if (!r.id().caseName().equals(first.id().caseName())) {
                    continue;
                }
                List<PercentilePoint> points = r.latencyMs().distribution().stream()
                        .filter(p -> p.percentile() < 100 && p.ms() > 0)
                        .toList();
                lines.add(new Plot.Line(r.id().target(), r.id().target(), "",
                        points.stream().map(p -> Math.log10(100 / (100 - p.percentile()))).toList(),
                        points.stream().map(PercentilePoint::ms).toList()));
            }
            plots.add(new Plot("latency_percentiles_" + rate(first) + "_per_s",
                    "Latency by percentile at " + rate(first) + " jobs/s", Plot.Axis.PERCENTILE_NINES,
                    "ms (log scale)", true, "Latency percentile distribution at " + rate(first) + " jobs/s (open"
                    + " loop, from intended enqueue to handler start); the x axis is in nines: 90 %, 99 %, 99.9 %.",
                    lines));
        }
        overRoundTrip(mine, targets).ifPresent(plots::add);
        return plots;
    }

    /**
     * The network scenario's chart: p99 against the round trip, a line per target, at the highest rate that ran at a
     * set round trip; empty when none did.
     */
    private static Optional<Plot> overRoundTrip(List<ResultRecord> mine, List<String> targets) {
        Optional<Integer> top = mine.stream().filter(r -> r.rttSetMs().isPresent() && rate(r) instanceof Number)
                .map(r -> ((Number) rate(r)).intValue()).max(Integer::compare);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        int rate = top.get();
        List<Plot.Line> lines = Plot.overRoundTrip(targets, mine, r -> rate(r) instanceof Number n
                && n.intValue() == rate, r -> r.latencyMs().p99(), "");
        return Optional.of(new Plot("latency_p99_vs_rtt", "Latency p99 against round trip at " + rate + " jobs/s",
                Plot.Axis.ROUND_TRIP, "p99 ms (log scale)", true, "p99 latency (intended enqueue → handler start,"
                + " open loop at " + rate + " jobs/s) against the round trip the lab set between the consumers (on"
                + " its agents) and the servers: the producer is on the coordinator, so enqueues do not cross it;"
                + " claims and completes do.", lines));
    }

    @Override
    public List<TargetResult> targets(Targets targets, ResultRecord r, List<ResultRecord> mine) {
        return List.of(TargetResult.below("latency_p50_ms", targets.latencyP50MaxMs(), r.latencyMs().p50()),
                TargetResult.below("latency_p95_ms", targets.latencyP95MaxMs(), r.latencyMs().p95()),
                TargetResult.below("latency_p99_ms", targets.latencyP99MaxMs(), r.latencyMs().p99()));
    }

    @Override
    public List<Merit> merits() {
        return List.of(Merit.latency("latency_p50_ms", ResultRecord.Latency::p50),
                Merit.latency("latency_p99_ms", ResultRecord.Latency::p99));
    }

    @Override
    public List<Dimension> dimensions(SelectionSummary summary, List<ResultRecord> mine) {
        return commonCase(summary.targets(), mine).map(c -> List.of(new Dimension(P99,
                c.replace("open_loop_", "open loop at ").replace("_per_s", "/s") + ", intended enqueue → handler"
                        + " start", "ms", false, summary.perTarget(mine, m -> SelectionSummary.max(m,
                        r -> r.id().caseName().equals(c), r -> r.latencyMs().p99()))))).orElse(List.of());
    }

    @Override
    public Map<String, String> picks(SelectionSummary summary, Map<String, Dimension> shown,
            List<ResultRecord> mine) {
        Dimension latency = shown.get(P99);
        if (latency == null) {
            return Map.of();
        }
        Map.Entry<String, Double> best = latency.ranking().getFirst();
        return Map.of("Lowest tail latency at a steady rate", summary.pick(best.getKey(), "p99 "
                + SelectionSummary.figure(best.getValue(), latency.unit())));
    }

    /** The latency case every target ran, at the highest rate. */
    private static Optional<String> commonCase(List<String> targets, List<ResultRecord> mine) {
        return mine.stream()
                .filter(r -> targets.stream().allMatch(t -> mine.stream().anyMatch(
                        o -> o.id().target().equals(t) && o.id().caseName().equals(r.id().caseName()))))
                .max(Comparator.comparingDouble(r -> ((Number) r.details().getOrDefault("target_rate_per_sec", 0))
                        .doubleValue()))
                .map(r -> r.id().caseName());
    }

    private static Object rate(ResultRecord r) {
        return r.details().get("target_rate_per_sec");
    }
}
