package dev.queuebench.suite;

import dev.queuebench.suite.ResultRecord.OpLatency;
import dev.queuebench.suite.ResultRecord.TargetResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The summary a person reads: per backend, throughput at each W, latency percentiles, conflicts, lock errors,
 * lost/duplicated and memory growth; the targets with PASS/FAIL; every case with its parameters and the command
 * that reruns it alone; the command that reproduces the whole run. With a baseline, each case also shows the
 * baseline's jobs/s and the change.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** The report as markdown; {@code charts} are paths relative to the run folder. */
    public static String render(RunReport report, Optional<RunReport> baseline, List<String> charts) {
        StringBuilder md = new StringBuilder();
        long lost = report.results().stream().mapToLong(ResultRecord::jobsLost).sum();
        long duplicated = report.results().stream().mapToLong(ResultRecord::jobsDuplicated).sum();
        line(md, "# QueueBench run " + report.runId());
        line(md, "");
        line(md, "Scenario **" + report.scenario() + "** · started " + report.startedAt() + " · finished "
                + report.finishedAt() + " (UTC) · exit status **" + report.exitStatus() + "** · "
                + (lost == 0 ? "no job lost" : "**" + lost + " JOB(S) LOST**") + " · " + duplicated + " duplicated");
        line(md, "");
        line(md, "Reproduce: `" + report.command() + "`");
        line(md, "");
        RunReport.Environment env = report.environment();
        line(md, "Environment: git `" + env.gitCommit() + "` · " + env.jdk() + " · " + env.os() + " · " + env.cores()
                + " cores · max heap " + mib(env.maxHeapBytes()) + (env.virtualThreads() ? " · virtual threads" : ""));
        env.servers().forEach((backend, info) -> line(md, "- `" + backend + "` server: " + (info.isEmpty() ? "(in process)" : info)));
        line(md, "");
        for (String backend : new LinkedHashSet<>(report.results().stream().map(ResultRecord::backend).toList())) {
            List<ResultRecord> mine = report.results().stream().filter(r -> r.backend().equals(backend)).toList();
            line(md, "## " + backend);
            line(md, "");
            throughput(md, mine);
            latency(md, mine);
            concurrency(md, mine);
            stress(md, mine);
            memory(md, mine);
        }
        if (!charts.isEmpty()) {
            line(md, "## Charts");
            line(md, "");
            charts.forEach(c -> line(md, "![" + c + "](" + c + ")"));
            line(md, "");
        }
        targets(md, report.results());
        cases(md, report.results(), baseline);
        return md.toString();
    }

    private static void throughput(StringBuilder md, List<ResultRecord> records) {
        List<ResultRecord> drains = select(records, ThroughputSuite.NAME, "drain_");
        if (drains.isEmpty()) {
            return;
        }
        Set<String> columns = new LinkedHashSet<>(drains.stream().map(ResultRecord::caseName).toList());
        line(md, "**Throughput**, jobs/s (median of the repetitions; `_single` acknowledges with `complete`, "
                + "`_batched` with `completeAll`):");
        line(md, "");
        line(md, "| W | " + String.join(" | ", columns) + " |");
        line(md, "|---:|" + "---:|".repeat(columns.size()));
        for (int w : new TreeSet<>(drains.stream().map(ResultRecord::workers).toList())) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(drains.stream().filter(r -> r.workers() == w && r.caseName().equals(column)).findFirst()
                        .map(r -> num(r.throughputJobsPerSec())).orElse("–"));
            }
            line(md, "| " + w + " | " + String.join(" | ", cells) + " |");
        }
        for (ResultRecord r : select(records, ThroughputSuite.NAME, "enqueue_")) {
            line(md, "");
            line(md, "Enqueue " + (r.batch() == 1 ? "one at a time" : "in batches of " + r.batch()) + ": **"
                    + num(r.throughputJobsPerSec()) + " jobs/s** (" + num(r.throughputMin()) + "–"
                    + num(r.throughputMax()) + ")");
        }
        line(md, "");
    }

    private static void latency(StringBuilder md, List<ResultRecord> records) {
        List<ResultRecord> cases = select(records, LatencySuite.NAME, "");
        if (cases.isEmpty()) {
            return;
        }
        line(md, "**Latency**, ms from intended enqueue time to handler start (open loop), and the backend's "
                + "per-operation p99:");
        line(md, "");
        line(md, "| case | W | p50 | p90 | p95 | p99 | p99.9 | max | mean | enqueue p99 | claim p99 | complete p99 |");
        line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (ResultRecord r : cases) {
            ResultRecord.Latency l = r.latencyMs();
            line(md, String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                    r.caseName(), r.workers(), ms(l.p50()), ms(l.p90()), ms(l.p95()), ms(l.p99()), ms(l.p999()),
                    ms(l.max()), ms(l.mean()), opP99(r, "enqueue"), opP99(r, "claim"), opP99(r, "complete")));
        }
        line(md, "");
    }

    private static void concurrency(StringBuilder md, List<ResultRecord> records) {
        List<ResultRecord> cases = select(records, ConcurrencySuite.NAME, "");
        if (cases.isEmpty()) {
            return;
        }
        line(md, "**Concurrency**, one queue, W workers competing:");
        line(md, "");
        line(md, "| strategy | W | jobs/s | claim conflicts | conflicts per claim | lock errors | lost | duplicated |");
        line(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for (ResultRecord r : cases) {
            line(md, String.format(Locale.ROOT, "| %s | %d | %s | %d | %.4f | %d | %d | %d |", r.strategy(),
                    r.workers(), num(r.throughputJobsPerSec()), r.claimConflicts(), r.claimConflictRate(),
                    r.lockErrors(), r.jobsLost(), r.jobsDuplicated()));
        }
        line(md, "");
    }

    private static void stress(StringBuilder md, List<ResultRecord> records) {
        List<ResultRecord> cases = select(records, StressSuite.NAME, "");
        if (cases.isEmpty()) {
            return;
        }
        line(md, "**Stress**:");
        line(md, "");
        line(md, "| case | jobs | completed | dead | lost | duplicated | errors | time to drain | jobs/s | recovery |");
        line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (ResultRecord r : cases) {
            Object recovery = r.details().get("recovery_ms");
            line(md, String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d ms | %s | %s |",
                    r.caseName(), r.jobsEnqueued(), r.jobsCompleted(), r.jobsDead(), r.jobsLost(), r.jobsDuplicated(),
                    r.errors(), r.durationMs(), num(r.throughputJobsPerSec()),
                    recovery == null ? "–" : recovery + " ms"));
        }
        line(md, "");
    }

    private static void memory(StringBuilder md, List<ResultRecord> records) {
        for (ResultRecord r : select(records, MemorySuite.NAME, "")) {
            if (r.memory() == null) {
                continue;
            }
            ResultRecord.Memory m = r.memory();
            line(md, "**Memory** (" + r.caseName() + ", " + m.samples().size() + " samples): heap peak "
                    + mib(m.heapPeakBytes()) + ", growth " + mib((long) m.heapGrowthBytesPerMin()) + "/min, RSS peak "
                    + mib(m.rssPeakBytes()) + ", " + m.gcCount() + " GCs (" + m.gcPauseMs() + " ms), threads peak "
                    + m.threadsPeak() + ". Verdict: **" + m.leakVerdict() + "**.");
            if (!m.samples().isEmpty()) {
                line(md, "Backend footprint, first → last sample: " + m.samples().getFirst().footprint() + " → "
                        + m.samples().getLast().footprint());
            }
            line(md, "");
        }
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
                    long[] counts = lossFree.computeIfAbsent(r.backend() + " | " + r.strategy(), k -> new long[2]);
                    counts[0]++;
                    counts[1] += t.pass() ? 0 : 1;
                    continue;
                }
                line(md, String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s %s | %s | %s |",
                        r.backend(), r.strategy(), r.suite(), r.caseName(), r.workers(), t.metric(), t.op(),
                        num(t.value()), num(t.actual()), t.pass() ? "PASS" : "**FAIL**"));
            }
        }
        lossFree.forEach((key, counts) -> line(md, "| " + key + " | all | " + counts[0] + " cases | | jobs_lost | == 0 | "
                + (counts[1] == 0 ? "0 in every case | PASS" : counts[1] + " case(s) lost jobs | **FAIL**") + " |"));
        line(md, "");
    }

    private static void cases(StringBuilder md, List<ResultRecord> records, Optional<RunReport> baseline) {
        line(md, "## Cases");
        line(md, "");
        line(md, "Each case with the command that reruns it alone" + (baseline.isPresent()
                ? "; baseline: run " + baseline.get().runId() : "") + ".");
        line(md, "");
        String extra = baseline.isPresent() ? " baseline jobs/s | change |" : "";
        line(md, "| backend | strategy | suite | case | W | batch | task | jobs | ms | jobs/s (min–max) | lost | dup |"
                + extra + " rerun |");
        line(md, "|---|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|" + (baseline.isPresent() ? "---:|---:|" : "")
                + "---|");
        for (ResultRecord r : records) {
            String compared = "";
            if (baseline.isPresent()) {
                Optional<ResultRecord> before = baseline.get().results().stream()
                        .filter(b -> b.backend().equals(r.backend()) && b.strategy().equals(r.strategy())
                                && b.suite().equals(r.suite()) && b.caseName().equals(r.caseName())
                                && b.workers() == r.workers() && b.batch() == r.batch())
                        .findFirst();
                compared = before.map(b -> " " + num(b.throughputJobsPerSec()) + " | " + change(b, r) + " |")
                        .orElse(" – | – |");
            }
            String failed = r.details().containsKey(BackendUnderTest.COULD_NOT_RUN)
                    ? " **could not run: " + r.details().get(BackendUnderTest.COULD_NOT_RUN) + "**" : "";
            line(md, String.format(Locale.ROOT, "| %s | %s | %s | %s%s | %d | %d | %s | %d | %d | %s (%s–%s) | %d | %d |%s `%s` |",
                    r.backend(), r.strategy(), r.suite(), r.caseName(), failed, r.workers(), r.batch(), r.task(),
                    r.jobsEnqueued(), r.durationMs(), num(r.throughputJobsPerSec()), num(r.throughputMin()),
                    num(r.throughputMax()), r.jobsLost(), r.jobsDuplicated(), compared, r.rerun()));
        }
        line(md, "");
    }

    private static String change(ResultRecord before, ResultRecord now) {
        if (before.throughputJobsPerSec() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%+.1f %%",
                100 * (now.throughputJobsPerSec() - before.throughputJobsPerSec()) / before.throughputJobsPerSec());
    }

    private static List<ResultRecord> select(List<ResultRecord> records, String suite, String casePrefix) {
        return records.stream().filter(r -> r.suite().equals(suite) && r.caseName().startsWith(casePrefix)).toList();
    }

    private static String opP99(ResultRecord r, String op) {
        OpLatency latency = r.operationsMs().get(op);
        return latency == null ? "–" : ms(latency.p99());
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, value >= 100 || value == Math.rint(value) ? "%,.0f" : value >= 1 ? "%,.1f" : "%.3f", value);
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
