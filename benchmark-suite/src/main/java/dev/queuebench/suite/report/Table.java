package dev.queuebench.suite.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One table of the markdown report: a row per figure, a column per target ({@code backend/strategy}), "–" in a cell
 * no record filled. Rows keep the order they were first named in. Also the number formats every table uses.
 */
public final class Table {
    private final String title;
    private final String first;
    private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

    /** A table headed by {@code title}, its first column named {@code first}. */
    public Table(String title, String first) {
        this.title = title;
        this.first = first;
    }

    /** Puts {@code text} in row {@code row}, in the column of {@code r}'s target. */
    public void cell(String row, ResultRecord r, String text) {
        cell(row, r.id().target(), text);
    }

    /** Puts {@code text} in row {@code row}, in the column of {@code target}. */
    public void cell(String row, String target, String text) {
        rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(target, text);
    }

    /** The title, a blank line, the table with one column per target and a blank line; none without a row. */
    public List<String> lines(List<String> targets) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> md = new ArrayList<>();
        md.add(title);
        md.add("");
        md.add("| " + first + " | " + String.join(" | ", targets) + " |");
        md.add("|---|" + "---:|".repeat(targets.size()));
        rows.forEach((row, cells) -> md.add("| " + row + " | " + String.join(" | ",
                targets.stream().map(t -> cells.getOrDefault(t, "–")).toList()) + " |"));
        md.add("");
        return md;
    }

    /** What a figure's cell must also say: the case could not run, or lost or duplicated jobs; empty otherwise. */
    public static String note(ResultRecord r) {
        return (r.status() instanceof CaseStatus.CouldNotRun ? " **could not run**" : "")
                + (r.jobs().lost() > 0 ? " **" + r.jobs().lost() + " LOST**" : "")
                + (r.jobs().duplicated() > 0 ? " **" + r.jobs().duplicated() + " duplicated**" : "");
    }

    /** A count or rate: no decimals from 100 up or when whole, one from 1 up, three below 1. */
    public static String num(double value) {
        String format = value >= 100 || value == Math.rint(value) ? "%,.0f" : value >= 1 ? "%,.1f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }

    /** Milliseconds with two decimals. */
    public static String ms(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Bytes in MiB with one decimal, e.g. {@code 12.5 MiB}. */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
