package dev.queuebench.suite.report;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.suite.report.Charts.Chart;
import dev.queuebench.suite.report.Comparison.Change;
import dev.queuebench.suite.report.Comparison.Verdict;
import dev.queuebench.suite.report.ResultRecord.OpLatency;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.RunReport.Declared;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.run.Suites;
import dev.queuebench.suite.workload.Footprints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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
        line(md, "Machine: " + env.cpu() + " · " + env.cores() + " cores · " + Table.mib(env.memoryBytes())
                + " RAM · " + env.os() + " · " + env.jdk() + " · max heap " + Table.mib(env.maxHeapBytes())
                + (env.virtualThreads() ? " · virtual threads" : "") + " · git `" + env.gitCommit() + "`");
        env.servers().forEach((backend, info) -> line(md,
                "- `" + backend + "` server: " + (info.isEmpty() ? "(in process)" : info)));
        agents(records).forEach(agent -> line(md, "- consumers on " + agent + " (clock offsets per case in the"
                + " JSON details; latency is on this coordinator's clock)"));
        line(md, "");
        if (report.scenario().equals(Scenario.SMOKE.label())) {
            line(md, "> **Smoke run**: tiny cases run once, to check that everything works. Its figures are not"
                    + " measurements; compare backends with `quick` or larger.");
            line(md, "");
        }
        if (!records.isEmpty()) {
            new SelectionSummary(report).render(md);
            sideBySide(md, report, targets);
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

    /**
     * Every figure with one column per backend/strategy: each suite's tables, the cost and declared capabilities
     * tables, then each suite's own section (e.g. the conformance matrix, the chaos cases).
     */
    private static void sideBySide(StringBuilder md, RunReport report, List<String> targets) {
        List<ResultRecord> records = report.results();
        line(md, "## Side by side");
        line(md, "");
        for (Suite suite : Suites.ALL) {
            suite.report().tables(Suites.recordsOf(suite.name(), records), targets).forEach(l -> line(md, l));
        }
        costTable(md, records, targets);
        capabilitiesTable(md, report.capabilities(), targets);
        for (Suite suite : Suites.ALL) {
            suite.report().section(Suites.recordsOf(suite.name(), records), targets).forEach(l -> line(md, l));
        }
    }

    /** The cost of every record whose suite gives it a row ({@link SuiteReport#costRow}), in the records' order. */
    private static void costTable(StringBuilder md, List<ResultRecord> records, List<String> targets) {
        Table cost = new Table("**Cost per 1,000 jobs**, client CPU ms / server CPU ms / bytes allocated by the client"
                + " threads, over each job's whole life (enqueue, claim, handler, complete); – where not measured.",
                "case");
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            ResultRecord.Cost c = r.costPer1kJobs();
            Optional<String> row = Suites.reportOf(r.id().suite()).costRow(r);
            if (c == null || row.isEmpty()) {
                continue;
            }
            cost.cell(row.get(), r, (c.clientCpuMs() == null ? "–" : Table.ms(c.clientCpuMs())) + " / "
                    + (c.serverCpuMs() == null ? "–" : Table.ms(c.serverCpuMs())) + " / "
                    + (c.allocBytes() == null ? "–" : Table.mib(c.allocBytes())) + Table.note(r));
            if (c.serverCpuReason() != null) {
                reasons.putIfAbsent(SelectionSummary.target(r), "server: " + c.serverCpuReason());
            }
            if (c.clientCpuReason() != null) {
                reasons.putIfAbsent(SelectionSummary.target(r) + " client", "client: " + c.clientCpuReason());
            }
            if (r.memory() != null && c.serverRssBytes() != null) {
                cost.cell("server RSS at the end of the sustained run", r, Table.mib(c.serverRssBytes()));
            }
        }
        cost.lines(targets).forEach(l -> line(md, l));
        reasons.forEach((target, why) -> line(md, "- " + target.replace(" client", "") + " " + why));
        if (!reasons.isEmpty()) {
            line(md, "");
        }
    }

    private static void capabilitiesTable(StringBuilder md, Map<String, Declared> capabilities,
            List<String> targets) {
        Table declared = new Table("**Declared capabilities**.", "capability");
        for (Map.Entry<String, Declared> e : capabilities.entrySet()) {
            Declared d = e.getValue();
            declared.cell("durability", e.getKey(), d.durability().name());
            declared.cell("ordering", e.getKey(), d.ordering().name());
            declared.cell("atomic batch", e.getKey(), yes(d.atomicBatch()));
            declared.cell("wake on enqueue", e.getKey(), yes(d.wakeOnEnqueue()));
            declared.cell("max payload", e.getKey(), Table.mib(d.maxPayloadBytes()));
        }
        declared.lines(targets).forEach(l -> line(md, l));
    }

    /** Each agent the consumers ran on, as {@code agent host:port on host name}, in the order first met. */
    private static List<String> agents(List<ResultRecord> records) {
        return records.stream().map(r -> r.details().get("agents")).filter(List.class::isInstance)
                .flatMap(a -> ((List<?>) a).stream()).map(a -> a.toString().replaceFirst(", pid .*", ""))
                .distinct().toList();
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
        line(md, where(report));
        line(md, "- **Interleaved.** Each case ran on every backend/strategy before the next case started, so drift of"
                + " the machine hits them alike; the servers may still have served other clients meanwhile.");
        line(md, "- **Repetitions.** Throughput, latency and concurrency cases ran "
                + Scenario.valueOf(report.scenario().toUpperCase(Locale.ROOT)).repeats + "× (median shown, every"
                + " repetition in the JSON); stress and memory cases ran once.");
        line(md, "- **Memory.** Heap and RSS are the benchmark JVM's, which holds every open backend; the footprint is "
                + Footprints.DEFINITION + ".");
        if (report.scenario().equals(Scenario.SMOKE.label())) {
            line(md, "- **Smoke figures are not measurements**: the cases are too small and too short to rank"
                    + " backends; they show that everything runs.");
        }
        line(md, "");
    }

    /** Where the servers, the consumers and the producers ran, and what lay between them. */
    private static String where(RunReport report) {
        int cores = report.environment().cores();
        List<String> agents = agents(report.results());
        String listed = agents.isEmpty() ? "agents" : agents.size() + " agent" + (agents.size() == 1 ? "" : "s")
                + " (listed at the top)";
        if (report.results().stream().anyMatch(r -> r.details().containsKey(ResultRecord.RTT_SET_MS))
                || agents.stream().anyMatch(a -> a.contains(" netns "))) {
            return "- **One machine, emulated hosts.** The servers, this coordinator and the " + listed + " all ran"
                    + " on this machine (" + cores + " cores) and shared its CPU. The agents ran in network namespaces,"
                    + " so their consumers' round trips to the servers crossed the round trip the lab set (set and"
                    + " measured in each record); the producers ran on the coordinator, over loopback. A real network"
                    + " adds its own variance, and separate hosts would not share a CPU.";
        }
        if (!agents.isEmpty()) {
            return "- **Agents.** The consumers ran on the " + listed + ", on the hosts named there; the producers on"
                    + " this coordinator (" + cores + " cores), against the servers the configuration names. Where"
                    + " those are other hosts, the figures include the network between them, which this run did not"
                    + " measure.";
        }
        return "- **One machine.** Every backend ran on this machine (" + cores + " cores), with its server co-located"
                + " and sharing the CPU with the benchmark, over loopback. The figures rank the backends under the same"
                + " conditions; a dedicated server and a network in between change them.";
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
                v -> Table.num(v[0]) + (v[1] == v[2] ? "" : " (" + Table.num(v[1]) + "–" + Table.num(v[2]) + ")");
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
                        t.metric(), t.op(), Table.num(t.value()), Table.num(t.actual()),
                        t.pass() ? "PASS" : "**FAIL**"));
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
            if (!Suites.reportOf(r.id().suite()).listsCases()) {
                continue;
            }
            String failed = r.status() instanceof CaseStatus.CouldNotRun c ? " **could not run: " + c.reason() + "**"
                    : "";
            line(md, String.format(Locale.ROOT,
                    "| %s | %s | %s | %s%s | %d | %d | %s | %d | %d | %s (%s–%s) | %d | %d | `%s` |",
                    r.id().backend(), r.id().strategy(), r.id().suite(), r.id().caseName(), failed, r.setup().workers(),
                    r.setup().batch(), r.setup().task(), r.jobs().enqueued(), r.throughput().durationMs(),
                    Table.num(r.throughput().jobsPerSec()), Table.num(r.throughput().min()),
                    Table.num(r.throughput().max()),
                    r.jobs().lost(), r.jobs().duplicated(), r.rerun()));
        }
        line(md, "");
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    private static void line(StringBuilder md, String text) {
        md.append(text).append('\n');
    }
}
