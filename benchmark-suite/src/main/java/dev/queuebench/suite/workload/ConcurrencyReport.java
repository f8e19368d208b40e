package dev.queuebench.suite.workload;

import dev.queuebench.suite.report.Plot;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.ResultRecord.JobCounts;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.SelectionSummary;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.report.Table;
import dev.queuebench.suite.report.Targets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the report shows of the concurrency suite: its table, throughput, claim conflicts and lock errors against
 * workers, the contention targets, conflicts and lock errors under contention in the selection summary and the pick
 * for many workers on one queue.
 */
final class ConcurrencyReport implements SuiteReport {
    private static final String CONTENTION = "conflicts and lock errors under contention";

    @Override
    public List<String> tables(List<ResultRecord> mine, List<String> targets) {
        Table table = new Table("**Concurrency**, W workers competing for one queue, one job per claim.", "W");
        for (ResultRecord r : mine) {
            table.cell("W=" + r.setup().workers() + " jobs/s", r, Table.num(r.throughput().jobsPerSec())
                    + Table.note(r));
        }
        for (ResultRecord r : mine) {
            table.cell("W=" + r.setup().workers() + " conflicts per claim / lock errors", r,
                    String.format(Locale.ROOT, "%.4f / %d", r.contention().claimConflictRate(),
                            r.contention().lockErrors()) + Table.note(r));
        }
        return table.lines(targets);
    }

    /** Throughput and claim conflicts against workers; lock errors too when a case had one. */
    @Override
    public List<Plot> charts(List<ResultRecord> mine, List<String> targets) {
        boolean anyLockError = mine.stream().anyMatch(r -> r.contention().lockErrors() > 0);
        List<Plot> plots = new ArrayList<>();
        plots.add(new Plot("concurrency_vs_workers", "One queue, W competing workers", Plot.Axis.WORKERS,
                "jobs/s (log scale)", true,
                "Throughput of W workers competing for one queue, one job per claim, by strategy.",
                Plot.overWorkers(targets, mine, r -> true, r -> r.throughput().jobsPerSec(), "")));
        plots.add(new Plot("conflicts_vs_workers", "Claim conflicts against workers (one queue)", Plot.Axis.WORKERS,
                "conflicts per claim", false, "Claim conflicts per claim call against workers: claims that lost"
                + " their candidate and retried." + (anyLockError ? "" : " No case had a lock error, so there is no"
                + " lock error chart."),
                Plot.overWorkers(targets, mine, r -> true, r -> r.contention().claimConflictRate(), "")));
        if (anyLockError) {
            plots.add(new Plot("lock_errors_vs_workers", "Lock errors against workers (one queue)",
                    Plot.Axis.WORKERS, "lock errors in the case", false,
                    "Lock errors (SQLITE_BUSY, lock timeouts and kin) against workers on one queue.",
                    Plot.overWorkers(targets, mine, r -> true, r -> r.contention().lockErrors(), "")));
        }
        return plots;
    }

    /**
     * The claim conflict rate; no lock error up to the target's worker count; and at the most workers the target
     * ran, that many workers reached (every job completed once, none lost).
     */
    @Override
    public List<TargetResult> targets(Targets targets, ResultRecord r, List<ResultRecord> mine) {
        List<TargetResult> results = new ArrayList<>();
        results.add(TargetResult.below("claim_conflict_rate", targets.claimConflictRateMax(),
                r.contention().claimConflictRate()));
        if (r.setup().workers() <= targets.lockErrorFreeUpToWorkers()) {
            results.add(new TargetResult("lock_errors_up_to_" + targets.lockErrorFreeUpToWorkers() + "_workers",
                    "==", 0, r.contention().lockErrors(), r.contention().lockErrors() == 0));
        }
        int most = mine.stream()
                .filter(o -> o.id().backend().equals(r.id().backend()) && o.id().strategy().equals(r.id().strategy()))
                .mapToInt(o -> o.setup().workers())
                .max()
                .orElse(0);
        if (r.setup().workers() == most) {
            JobCounts jobs = r.jobs();
            boolean clean = jobs.lost() == 0 && jobs.duplicated() == 0 && jobs.completed() == jobs.enqueued();
            int reached = clean ? r.setup().workers() : 0;
            results.add(new TargetResult("concurrent_workers", ">=", targets.concurrencyMinWorkers(), reached,
                    reached >= targets.concurrencyMinWorkers()));
        }
        return results;
    }

    @Override
    public List<Dimension> dimensions(SelectionSummary summary, List<ResultRecord> mine) {
        int contendW = topWorkers(mine);
        return List.of(new Dimension(CONTENTION, "claim conflicts + lock errors per 1,000 jobs, W=" + contendW
                + " on one queue", "per 1,000 jobs", false, summary.perTarget(mine, m -> SelectionSummary.max(m,
                r -> r.setup().workers() == contendW && r.jobs().completed() > 0,
                r -> 1000.0 * (r.contention().claimConflicts() + r.contention().lockErrors())
                        / r.jobs().completed()))));
    }

    /** Of the targets with the fewest conflicts and lock errors, the fastest at the most workers. */
    @Override
    public Map<String, String> picks(SelectionSummary summary, Map<String, Dimension> shown,
            List<ResultRecord> mine) {
        Dimension contention = shown.get(CONTENTION);
        Map<String, String> picks = new HashMap<>();
        if (contention == null) {
            return picks;
        }
        double fewest = contention.ranking().getFirst().getValue();
        int topW = topWorkers(mine);
        contention.figures().entrySet().stream().filter(e -> e.getValue() == fewest)
                .flatMap(e -> mine.stream().filter(r -> r.id().target().equals(e.getKey())
                        && r.setup().workers() == topW))
                .max(Comparator.comparingDouble(r -> r.throughput().jobsPerSec()))
                .ifPresent(r -> picks.put("Many workers on one queue", summary.pick(r.id().target(),
                        SelectionSummary.figure(r.throughput().jobsPerSec(), "jobs/s") + " with " + topW
                                + " workers, " + SelectionSummary.figure(fewest, contention.unit())
                                + " conflicts and lock errors")));
        return picks;
    }

    private static int topWorkers(List<ResultRecord> mine) {
        return mine.stream().mapToInt(r -> r.setup().workers()).max().orElse(0);
    }
}
