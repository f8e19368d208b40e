package dev.queuebench.suite.conformance;

import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance matrix of the markdown report: one row per clause of the kit, one column per backend/strategy,
 * each cell ✓ (passed), {@code skip (capability)} (skipped by what the backend declares) or ✗ with the first line of
 * the failure; a first row counts each column's verdicts. The clauses are not repeated in the report's table of
 * cases.
 */
final class ConformanceReport implements SuiteReport {
    /** Longest failure message shown in a cell; the JSON has the whole first line. */
    private static final int MESSAGE_CHARS = 120;

    /** The matrix's lines, or none when the run has no conformance records. */
    @Override
    public List<String> section(List<ResultRecord> clauses, List<String> targets) {
        if (clauses.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (ResultRecord r : clauses) {
            String target = r.id().target();
            int[] count = counts.computeIfAbsent(target, t -> new int[3]);
            String cell = switch (String.valueOf(r.details().get(ConformanceSuite.VERDICT))) {
                case "passed" -> {
                    count[0]++;
                    yield "✓";
                }
                case "skipped" -> {
                    count[1]++;
                    yield "skip (" + r.details().getOrDefault(ConformanceSuite.CAPABILITY, reason(r)) + ")";
                }
                default -> {
                    count[2]++;
                    yield "**✗** " + escape(shortened(failure(r)));
                }
            };
            rows.computeIfAbsent(r.id().caseName(), k -> new LinkedHashMap<>()).put(target, cell);
        }
        List<String> shown = targets.stream().filter(counts::containsKey).toList();
        List<String> md = new ArrayList<>();
        md.add("**Conformance**, the kit (`tck`, see docs/CONTRACT.md) run by the suite against each backend/strategy:"
                + " ✓ the clause passed, skip (capability) the backend declares it cannot keep that clause, **✗** it"
                + " failed (first line of the failure; the JSON has it whole).");
        md.add("");
        md.add("| clause | " + String.join(" | ", shown) + " |");
        md.add("|---|" + "---|".repeat(shown.size()));
        md.add("| *passed / skipped / failed* | " + String.join(" | ", shown.stream().map(t -> {
            int[] c = counts.get(t);
            return c[0] + " / " + c[1] + " / " + (c[2] == 0 ? "0" : "**" + c[2] + "**");
        }).toList()) + " |");
        rows.forEach((clause, cells) -> md.add("| " + clause + " | " + String.join(" | ",
                shown.stream().map(t -> cells.getOrDefault(t, "–")).toList()) + " |"));
        md.add("");
        return md;
    }

    @Override
    public boolean listsCases() {
        return false;
    }

    private static String reason(ResultRecord r) {
        return r.status() instanceof CaseStatus.Skipped s ? s.reason() : "no reason given";
    }

    private static String failure(ResultRecord r) {
        if (r.details().get(ConformanceSuite.MESSAGE) instanceof String message) {
            return message;
        }
        return r.status() instanceof CaseStatus.CouldNotRun c ? "could not run: " + c.reason() : "failed";
    }

    private static String shortened(String text) {
        return text.length() <= MESSAGE_CHARS ? text : text.substring(0, MESSAGE_CHARS - 1) + "…";
    }

    /** The text safe inside a table cell. */
    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
