package dev.queuebench.suite.report;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.suite.conformance.ConformanceSuite;
import dev.queuebench.suite.report.Charts.Chart;
import dev.queuebench.suite.report.Comparison.Change;
import dev.queuebench.suite.report.Comparison.Verdict;
import dev.queuebench.suite.report.ResultRecord.OpLatency;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.RunReport.Declared;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.workload.ConcurrencySuite;
import dev.queuebench.suite.workload.Footprints;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.StressSuite;
import dev.queuebench.suite.workload.ThroughputSuite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report a person reads, written to answer "which backend, with which strategy, for my workload?": the
 * selection summary ({@link SelectionSummary}), every figure side by side (one column per backend/strategy), the
 * charts, the caveats, the comparison with a baseline, the targets with PASS/FAIL, and every case with the command
 * that reruns it alone. The HTML version ({@link HtmlReport}) is made from this markdown.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** The report as markdown; {@code charts} are in the run folder's {@code charts/}. */
    public static String render(RunReport report, List<Chart> charts) {
        StringBuilder md = new StringBuilder();
        List<ResultRecord> records = report.results();
        long lost = records.stream().filter(r -> !r.status().lossExpected()).mapToLong(r -> r.jobs().lost()).sum();
        long duplicated = records.stream().mapToLong(r -> r.jobs().duplicated()).sum();
        List<String> targets =
                new ArrayList<>(new LinkedHashSet<>(records.stream().map(SelectionSummary::target).toList()));
        line(md, "# QueueBench run " + report.runId());
        line(md, "");
        line(md, "Scenario **" + report.scenario() + "** · " + String.join(", ", targets) + " · started "
                + report.startedAt() + " · finished " + report.finishedAt() + " (UTC) · exit status **"
                + report.exitStatus() + "** · " + (lost == 0 ? "no job lost" : "**" + lost + " JOB(S) LOST**") + " · "
                + duplicated + " duplicated");
        line(md, "");
        line(md, "Reproduce: `" + report.command() + "`");
        line(md, "");
        RunReport.Environment env = report.environment();
        line(md, "Machine: " + env.cpu() + " · " + env.cores() + " cores · " + mib(env.memoryBytes()) + " RAM · "
                + env.os() + " · " + env.jdk() + " · max heap " + mib(env.maxHeapBytes())
                + (env.virtualThreads() ? " · virtual threads" : "") + " · git `" + env.gitCommit() + "`");
        env.servers().forEach((backend, info) -> line(md,
                "- `" + backend + "` server: " + (info.isEmpty() ? "(in process)" : info)));
        line(md, "");
        if (report.scenario().equals(Scenario.SMOKE.label())) {
            line(md, "> **Smoke run**: tiny cases run once, to check that everything works. Its figures are not"
                    + " measurements; compare backends with `quick` or larger.");
            line(md, "");
        }
        if (!records.isEmpty()) {
            new SelectionSummary(report).render(md);
            sideBySide(md, report, targets);
            ChaosSection.markdown(records).forEach(l -> line(md, l));
        }
        if (!charts.isEmpty()) {
            line(md, "## Charts");
            line(md, "");
            charts.forEach(c -> {
                line(md, "![" + c.path().replace("charts/", "").replace(".svg", "").replace('_', ' ') + "]("
                        + c.path() + ")");
                line(md, "");
                line(md, "*" + c.caption() + "*");
                line(md, "");
            });
        }
        caveats(md, report);
        if (report.comparison() != null) {
            comparison(md, report.comparison());
        }
        targets(md, records);
        ProfileSection.markdown(records).forEach(l -> line(md, l));
        cases(md, records);
        return md.toString();
    }

    /** Every figure with one column per backend/strategy, one table per suite and one of declared capabilities. */
    private static void sideBySide(StringBuilder md, RunReport report, List<String> targets) {
        List<ResultRecord> records = report.results();
        line(md, "## Side by side");
        line(md, "");
        throughputTable(md, records, targets);
        latencyTable(md, records, targets);
        concurrencyTable(md, records, targets);
        stressTable(md, records, targets);
        memoryTable(md, records, targets);
        costTable(md, records, targets);
        capabilitiesTable(md, report.capabilities(), targets);
        ConformanceMatrix.markdown(records, targets).forEach(l -> line(md, l));
    }

    private static void throughputTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Map<String, Map<String, String>> throughput = new LinkedHashMap<>();
        for (ResultRecord r : select(records, ThroughputSuite.NAME)) {
            String name = r.id().caseName();
            cell(throughput, name + (name.startsWith("enqueue") ? "" : " W=" + r.setup().workers()), r,
                    num(r.throughput().jobsPerSec()) + (r.throughput().repeats() > 1
                            ? " (" + num(r.throughput().min()) + "–" + num(r.throughput().max()) + ")" : "") + note(r));
        }
        String batches = select(records, ThroughputSuite.NAME).stream()
                .filter(r -> r.setup().batch() > 1)
                .map(r -> Integer.toString(r.setup().batch()))
                .distinct()
                .collect(Collectors.joining(" or "));
        table(md, "**Throughput**, jobs/s, median (min–max when repeated): `enqueue_*` one producer thread; `drain_*`"
                + " a pre-filled queue drained by W workers; `_single` acknowledges each job with `complete`,"
                + " `_batched` claims " + (batches.isEmpty() ? Scenario.DEFAULT_BATCH : batches)
                + " at a time and acknowledges them with one `completeAll`.", "case", targets, throughput);
    }

    private static void latencyTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Map<String, Map<String, String>> latency = new LinkedHashMap<>();
        for (ResultRecord r : select(records, LatencySuite.NAME)) {
            ResultRecord.Latency l = r.latencyMs();
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("p50", l.p50());
            figures.put("p90", l.p90());
            figures.put("p99", l.p99());
            figures.put("p99.9", l.p999());
            figures.put("max", l.max());
            figures.forEach((name, value) -> cell(latency, r.id().caseName() + " " + name, r, ms(value)));
            for (String op : List.of("enqueue", "claim", "complete")) {
                OpLatency o = r.operationsMs().get(op);
                cell(latency, r.id().caseName() + " " + op + " p99", r, o == null ? "–" : ms(o.p99()));
            }
        }
        table(md, "**Latency**, ms from the job's intended enqueue time to its handler's start (open loop, no"
                + " coordinated omission), and the backend's own per-operation p99 (`claim` includes waiting for a"
                + " job, 50 ms at most).", "case", targets, latency);
    }

    private static void concurrencyTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Map<String, Map<String, String>> concurrency = new LinkedHashMap<>();
        for (ResultRecord r : select(records, ConcurrencySuite.NAME)) {
            cell(concurrency, "W=" + r.setup().workers() + " jobs/s", r, num(r.throughput().jobsPerSec()) + note(r));
        }
        for (ResultRecord r : select(records, ConcurrencySuite.NAME)) {
            cell(concurrency, "W=" + r.setup().workers() + " conflicts per claim / lock errors", r,
                    String.format(Locale.ROOT, "%.4f / %d", r.contention().claimConflictRate(),
                            r.contention().lockErrors()) + note(r));
        }
        table(md, "**Concurrency**, W workers competing for one queue, one job per claim.", "W", targets, concurrency);
    }

    private static void stressTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Map<String, Map<String, String>> stress = new LinkedHashMap<>();
        for (ResultRecord r : select(records, StressSuite.NAME)) {
            Object recovery = r.details().get("recovery_ms");
            long errors = r.contention().errors();
            cell(stress, r.id().caseName() + " (" + r.jobs().enqueued() + " jobs)", r,
                    r.throughput().durationMs() + " ms"
                    + (recovery == null ? "" : ", recovered in " + recovery + " ms")
                    + (r.jobs().dead() > 0 ? ", " + r.jobs().dead() + " dead" : "")
                    + (errors > 0 ? ", " + errors + " errors" : "") + note(r));
        }
        table(md, "**Stress**, time to drain (the burst: recovery from its end to an empty queue); failing handlers"
                + " end " + (int) (Scenario.FAILING_SHARE * 50) + " % of jobs dead by design.", "case", targets,
                stress);
    }

    private static void memoryTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Map<String, Map<String, String>> memory = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            ResultRecord.Memory m = r.memory();
            if (m == null) {
                continue;
            }
            cell(memory, "heap peak", r, mib(m.heapPeakBytes()));
            cell(memory, "heap growth", r, mib((long) m.heapGrowthBytesPerMin()) + "/min");
            cell(memory, "RSS peak", r, mib(m.rssPeakBytes()));
            cell(memory, "GCs (pause)", r, m.gcCount() + " (" + m.gcPauseMs() + " ms)");
            cell(memory, "threads peak", r, Integer.toString(m.threadsPeak()));
            if (!m.samples().isEmpty()) {
                cell(memory, "backend footprint, first → last", r,
                        mib(Footprints.bytes(m.samples().getFirst().footprint())) + " → "
                                + mib(Footprints.bytes(m.samples().getLast().footprint())));
                cell(memory, "backend's own figures at the end", r, m.samples().getLast().footprint().toString());
            }
            cell(memory, "verdict", r, m.leakVerdict());
        }
        table(md, "**Memory**, the sustained open-loop run: the benchmark JVM's heap after GC and RSS, and the"
                + " backend's footprint.", "figure", targets, memory);
    }

    private static void costTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Map<String, Map<String, String>> cost = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            ResultRecord.Cost c = r.costPer1kJobs();
            boolean shown = r.id().suite().equals(ThroughputSuite.NAME) || r.memory() != null;
            if (c == null || !shown) {
                continue;
            }
            String row = r.id().caseName() + (r.id().caseName().startsWith("enqueue") || r.memory() != null ? ""
                    : " W=" + r.setup().workers());
            cell(cost, row, r, (c.clientCpuMs() == null ? "–" : ms(c.clientCpuMs())) + " / "
                    + (c.serverCpuMs() == null ? "–" : ms(c.serverCpuMs())) + " / "
                    + (c.allocBytes() == null ? "–" : mib(c.allocBytes())) + note(r));
            if (c.serverCpuReason() != null) {
                reasons.putIfAbsent(SelectionSummary.target(r), "server: " + c.serverCpuReason());
            }
            if (c.clientCpuReason() != null) {
                reasons.putIfAbsent(SelectionSummary.target(r) + " client", "client: " + c.clientCpuReason());
            }
            if (r.memory() != null && c.serverRssBytes() != null) {
                cell(cost, "server RSS at the end of the sustained run", r, mib(c.serverRssBytes()));
            }
        }
        table(md, "**Cost per 1,000 jobs**, client CPU ms / server CPU ms / bytes allocated by the client threads, over"
                + " each job's whole life (enqueue, claim, handler, complete); – where not measured.", "case",
                targets, cost);
        reasons.forEach((target, why) -> line(md, "- " + target.replace(" client", "") + " " + why));
        if (!reasons.isEmpty()) {
            line(md, "");
        }
    }

    private static void capabilitiesTable(StringBuilder md, Map<String, Declared> capabilities,
            List<String> targets) {
        Map<String, Map<String, String>> declared = new LinkedHashMap<>();
        for (Map.Entry<String, Declared> e : capabilities.entrySet()) {
            Declared d = e.getValue();
            declared.computeIfAbsent("durability", k -> new LinkedHashMap<>()).put(e.getKey(), d.durability().name());
            declared.computeIfAbsent("ordering", k -> new LinkedHashMap<>()).put(e.getKey(), d.ordering().name());
            declared.computeIfAbsent("atomic batch", k -> new LinkedHashMap<>()).put(e.getKey(), yes(d.atomicBatch()));
            declared.computeIfAbsent("wake on enqueue", k -> new LinkedHashMap<>())
                    .put(e.getKey(), yes(d.wakeOnEnqueue()));
            declared.computeIfAbsent("max payload", k -> new LinkedHashMap<>())
                    .put(e.getKey(), mib(d.maxPayloadBytes()));
        }
        table(md, "**Declared capabilities**.", "capability", targets, declared);
    }

    private static void cell(Map<String, Map<String, String>> rows, String row, ResultRecord r, String text) {
        rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(SelectionSummary.target(r), text);
    }

    private static void table(StringBuilder md, String title, String first, List<String> targets,
            Map<String, Map<String, String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        line(md, title);
        line(md, "");
        line(md, "| " + first + " | " + String.join(" | ", targets) + " |");
        line(md, "|---|" + "---:|".repeat(targets.size()));
        rows.forEach((row, cells) -> line(md, "| " + row + " | " + String.join(" | ",
                targets.stream().map(t -> cells.getOrDefault(t, "–")).toList()) + " |"));
        line(md, "");
    }

    /** What a figure's cell must also say: the case could not run, or lost or duplicated jobs. */
    private static String note(ResultRecord r) {
        return (r.status() instanceof CaseStatus.CouldNotRun ? " **could not run**" : "")
                + (r.jobs().lost() > 0 ? " **" + r.jobs().lost() + " LOST**" : "")
                + (r.jobs().duplicated() > 0 ? " **" + r.jobs().duplicated() + " duplicated**" : "");
    }

    private static void caveats(StringBuilder md, RunReport report) {
        line(md, "## Caveats");
        line(md, "");
        line(md, "- **Durability** is what each backend declares for an acknowledged enqueue, not something this run"
                + " tested:");
        report.capabilities().values().stream().map(Declared::durability).distinct().sorted(Comparator.reverseOrder())
                .forEach(d -> line(md, "  - `" + d + "` (" + String.join(", ", report.capabilities().entrySet()
                        .stream().filter(e -> e.getValue().durability() == d).map(Map.Entry::getKey).toList())
                        + "): " + meaning(d)));
        line(md, "- **One machine.** Every backend ran on this machine (" + report.environment().cores()
                + " cores), with its server (PostgreSQL, Redis) co-located and sharing the CPU with the benchmark,"
                + " over loopback. The figures rank the backends under the same conditions; a dedicated server and"
                + " a network in between change them.");
        line(md, "- **Interleaved.** Each case ran on every backend/strategy before the next case started, so drift of"
                + " the machine hits them alike; the servers may still have served other clients meanwhile.");
        line(md, "- **Repetitions.** Throughput, latency and concurrency cases ran "
                + Scenario.valueOf(report.scenario().toUpperCase(Locale.ROOT)).repeats + "× (median shown, every"
                + " repetition in the JSON); stress and memory cases ran once.");
        line(md, "- **Memory.** Heap and RSS are the benchmark JVM's, which holds every open backend; the footprint is"
                + " each backend's own (" + Footprints.DEFINITION + ").");
        if (report.scenario().equals(Scenario.SMOKE.label())) {
            line(md, "- **Smoke figures are not measurements**: the cases are too small and too short to rank"
                    + " backends; they show that everything runs.");
        }
        line(md, "");
    }

    /** What a declared durability means for a job whose enqueue returned. */
    static String meaning(Durability d) {
        return switch (d) {
            case DURABLE -> "on stable storage before the enqueue returns; survives a crash and a power failure.";
            case CRASH_SAFE -> "survives a crash of the process or the server; the last moments may be lost on a"
                    + " power failure (e.g. asynchronous commit, or fsync once a second).";
            case VOLATILE -> "held in the server's memory: gone when the server restarts or evicts it.";
            case PROCESS -> "held in this process only: gone when it exits.";
        };
    }

    private static void comparison(StringBuilder md, Comparison comparison) {
        List<Change> changes = comparison.changes().stream()
                .sorted(Comparator.comparing(Change::verdict)).toList();
        long regressions = changes.stream().filter(c -> c.verdict() == Verdict.REGRESSION).count();
        long improvements = changes.stream().filter(c -> c.verdict() == Verdict.IMPROVEMENT).count();
        line(md, "## Comparison with baseline " + comparison.baselineRunId());
        line(md, "");
        line(md, changes.size() + " figures compared: **" + regressions + " regression(s)**, " + improvements
                + " improvement(s). A figure is a regression when even this run's best repetition is worse than the"
                + " baseline's worst by more than " + Math.round(comparison.threshold() * 100) + " % (`-Dregression"
                + "Threshold`), so the repetitions' min–max spread is not counted; a latency regression must also be"
                + " at least " + Comparison.MIN_LATENCY_CHANGE_MS + " ms. With `-Dstrict=true` a regression exits 1.");
        line(md, "");
        if (changes.isEmpty()) {
            line(md, "No case of this run was in the baseline.");
            line(md, "");
            return;
        }
        line(md, "| verdict | backend | strategy | case | W | batch | figure | better | baseline (min–max)"
                + " | now (min–max) | now ÷ baseline |");
        line(md, "|---|---|---|---|---:|---:|---|---|---:|---:|---:|");
        Function<double[], String> range =
                v -> num(v[0]) + (v[1] == v[2] ? "" : " (" + num(v[1]) + "–" + num(v[2]) + ")");
        for (Change c : changes) {
            String verdict = switch (c.verdict()) {
                case REGRESSION -> "**REGRESSION**";
                case IMPROVEMENT -> "improvement";
                case WITHIN_NOISE -> "within noise";
            };
            line(md, String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %s | %s | %s | %s | %s |", verdict,
                    c.backend(), c.strategy(), c.caseName(), c.workers(), c.batch(), c.metric(),
                    c.higherIsBetter() ? "higher" : "lower",
                    range.apply(new double[] {c.baseline(), c.baselineMin(), c.baselineMax()}),
                    range.apply(new double[] {c.now(), c.nowMin(), c.nowMax()}),
                    c.ratio() == 0 ? "–"
                            : String.format(Locale.ROOT, "%.2f× (%+.1f %%)", c.ratio(), 100 * (c.ratio() - 1))));
        }
        line(md, "");
    }

    private static void targets(StringBuilder md, List<ResultRecord> records) {
        line(md, "## Targets");
        line(md, "");
        line(md, "| backend | strategy | suite | case | W | metric | target | actual | result |");
        line(md, "|---|---|---|---|---:|---|---:|---:|---|");
        Map<String, long[]> lossFree = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            for (TargetResult t : r.targets()) {
                if (t.metric().equals("jobs_lost")) {
                    long[] counts = lossFree.computeIfAbsent(r.id().backend() + " | " + r.id().strategy(),
                            k -> new long[2]);
                    counts[0]++;
                    counts[1] += t.pass() ? 0 : 1;
                    continue;
                }
                line(md, String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s %s | %s | %s |",
                        r.id().backend(), r.id().strategy(), r.id().suite(), r.id().caseName(), r.setup().workers(),
                        t.metric(), t.op(), num(t.value()), num(t.actual()), t.pass() ? "PASS" : "**FAIL**"));
            }
        }
        lossFree.forEach((key, counts) -> line(md, "| " + key + " | all | " + counts[0]
                + " cases | | jobs_lost | == 0 | "
                + (counts[1] == 0 ? "0 in every case | PASS" : counts[1] + " case(s) lost jobs | **FAIL**") + " |"));
        line(md, "");
    }

    private static void cases(StringBuilder md, List<ResultRecord> records) {
        line(md, "## Cases");
        line(md, "");
        line(md, "Each case with the command that reruns it alone, in the order they ran (interleaved); the"
                + " conformance clauses are in their matrix above.");
        line(md, "");
        line(md, "| backend | strategy | suite | case | W | batch | task | jobs | ms | jobs/s (min–max) | lost | dup |"
                + " rerun |");
        line(md, "|---|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|");
        for (ResultRecord r : records) {
            if (r.id().suite().equals(ConformanceSuite.NAME)) {
                continue;
            }
            String failed = r.status() instanceof CaseStatus.CouldNotRun c ? " **could not run: " + c.reason() + "**"
                    : "";
            line(md, String.format(Locale.ROOT,
                    "| %s | %s | %s | %s%s | %d | %d | %s | %d | %d | %s (%s–%s) | %d | %d | `%s` |",
                    r.id().backend(), r.id().strategy(), r.id().suite(), r.id().caseName(), failed, r.setup().workers(),
                    r.setup().batch(), r.setup().task(), r.jobs().enqueued(), r.throughput().durationMs(),
                    num(r.throughput().jobsPerSec()), num(r.throughput().min()), num(r.throughput().max()),
                    r.jobs().lost(), r.jobs().duplicated(), r.rerun()));
        }
        line(md, "");
    }

    private static List<ResultRecord> select(List<ResultRecord> records, String suite) {
        return records.stream().filter(r -> r.id().suite().equals(suite)).toList();
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    private static String num(double value) {
        String format = value >= 100 || value == Math.rint(value) ? "%,.0f" : value >= 1 ? "%,.1f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static void line(StringBuilder md, String text) {
        md.append(text).append('\n');
    }
}
