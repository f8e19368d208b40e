package dev.queuebench.suite.chaos;

import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SelectionSummary;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import dev.queuebench.suite.report.SuiteReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the report shows of the chaos suite: its own section, one row per case and backend/strategy, which judges
 * the jobs a fault lost or duplicated, so they do not warn against a pick of the selection summary.
 */
final class ChaosReport implements SuiteReport {
    static final String LEADER_LOST = "survives losing its leader";
    static final String FORM = "cluster_form";

    /** The section's lines, or none when the run has no chaos records. */
    @Override
    public List<String> section(List<ResultRecord> cases, List<String> targets) {
        if (cases.isEmpty()) {
            return List.of();
        }
        List<String> md = new ArrayList<>();
        md.add("**Chaos** (faults under steady load; duplicates are jobs redelivered after a lost lease, expected up"
                + " to the jobs in flight during the fault; a run while another lease was valid is a violation):");
        md.add("");
        md.add("| case | backend | jobs | completed | dead | lost | loss expected | duplicated (allowed) | stale"
                + " completes refused / accepted | recovery | p99 / max | notes |");
        md.add("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
        for (ResultRecord r : cases) {
            Map<String, Object> d = r.details();
            if (r.status() instanceof CaseStatus.Skipped skipped) {
                md.add("| " + r.id().caseName() + " | " + r.id().target() + " |" + " – |".repeat(9)
                        + " skipped: " + skipped.reason() + " |");
                continue;
            }
            md.add(String.format(Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %d | %s | %d (%s) | %s / %s | %s ms | %.1f / %.1f ms | %s |",
                    r.id().caseName(), r.id().target(), r.jobs().enqueued(), r.jobs().completed(),
                    r.jobs().dead(), r.jobs().lost(), r.status().lossExpected(), r.jobs().duplicated(),
                    d.getOrDefault("duplicates_allowed", "–"),
                    d.getOrDefault("stale_completes_refused", "–"), d.getOrDefault("stale_completes_accepted", "–"),
                    d.getOrDefault("recovery_ms", "–"), r.latencyMs().p99(), r.latencyMs().max(),
                    String.join("; ", notes(r))));
        }
        md.add("");
        return md;
    }

    /** The notes column: unconfirmed completes, the violation or failure, the loss note and the server used. */
    private static List<String> notes(ResultRecord r) {
        Map<String, Object> d = r.details();
        List<String> notes = new ArrayList<>();
        if (d.get("completed_unconfirmed") instanceof Number n && n.longValue() > 0) {
            notes.add(n + " job(s) completed_unconfirmed: complete sent, answer lost, then found gone from the"
                    + " backend job by job");
        }
        switch (r.status()) {
            case CaseStatus.Ran ran when ran.violation() != null -> notes.add("**VIOLATION** " + ran.violation());
            case CaseStatus.CouldNotRun failed -> notes.add(failed.reason());
            default -> { }
        }
        for (String key : List.of("failover", "loss_note", "throwaway_server")) {
            if (d.containsKey(key)) {
                notes.add(String.valueOf(d.get(key)));
            }
        }
        return notes;
    }

    /**
     * "Survives losing its leader": per target, the acknowledged jobs lost in its best failover form that declares
     * none lost (a target with only forms that allow loss is listed apart, with what they lost), and the longest
     * stall of its best form.
     */
    @Override
    public List<Dimension> dimensions(SelectionSummary summary, List<ResultRecord> mine) {
        List<ResultRecord> failovers = mine.stream()
                .filter(r -> r.details().containsKey(FORM) && r.status() instanceof CaseStatus.Ran)
                .toList();
        if (failovers.isEmpty()) {
            return List.of();
        }
        Map<String, String> onlyLossy = new LinkedHashMap<>();
        for (String target : summary.targets()) {
            List<ResultRecord> forms = failovers.stream().filter(r -> r.id().target().equals(target)).toList();
            if (!forms.isEmpty() && forms.stream().allMatch(r -> r.status().lossExpected())) {
                onlyLossy.put(target, "only forms that allow loss: " + String.join(", ", forms.stream()
                        .map(r -> r.details().get(FORM) + " lost " + r.jobs().lost()).toList()));
            }
        }
        Map<String, Double> lost = summary.perTarget(failovers, m -> SelectionSummary.min(m,
                r -> !r.status().lossExpected(), r -> r.jobs().lost()));
        Map<String, Double> stall = summary.perTarget(failovers, m -> SelectionSummary.min(m,
                r -> r.details().get("no_progress_ms") instanceof Number, r -> ((Number) r.details()
                        .get("no_progress_ms")).doubleValue() / 1000.0));
        return List.of(new Dimension(LEADER_LOST, "acknowledged jobs lost when the leader is SIGKILLed under load"
                        + " and a replica takes over, in the target's best failover form that declares none lost",
                        "jobs", false, lost, onlyLossy),
                new Dimension("stall when the leader dies", "longest time without a completed job in the failover"
                        + " case, the target's best form", "s", false, stall));
    }

    @Override
    public boolean warnsPicks() {
        return false;
    }
}
