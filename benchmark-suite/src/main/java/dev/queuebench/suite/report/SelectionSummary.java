package dev.queuebench.suite.report;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.suite.report.RunReport.Declared;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.run.Suites;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The opening of the report: for each dimension a user chooses a backend by, which backend/strategy leads, by what
 * ratio over the runner-up, and every target's figure; then which to pick for common workloads. Every figure is
 * computed from the run's records; nothing is hard-coded. The dimensions and picks are the suites' own ({@link
 * SuiteReport#dimensions}); this class orders them and offers the helpers they are computed with.
 */
public final class SelectionSummary {
    private final List<ResultRecord> records;
    private final Map<String, Declared> capabilities;
    private final List<String> targets;

    /**
     * One dimension: each target's figure (absent where not measured), whether higher is better, and the targets
     * left out of the ranking with the reason (e.g. jobs lost).
     */
    public record Dimension(String name, String how, String unit, boolean higherIsBetter, Map<String, Double> figures,
            Map<String, String> excluded) {

        /** A dimension that leaves no target out. */
        public Dimension(String name, String how, String unit, boolean higherIsBetter, Map<String, Double> figures) {
            this(name, how, unit, higherIsBetter, figures, Map.of());
        }

        /** Targets ordered best first. */
        public List<Map.Entry<String, Double>> ranking() {
            Comparator<Map.Entry<String, Double>> order = Map.Entry.comparingByValue();
            return figures.entrySet().stream().sorted(higherIsBetter ? order.reversed() : order).toList();
        }
    }

    SelectionSummary(RunReport report) {
        this.records = report.results().stream()
                .filter(r -> !(r.status() instanceof CaseStatus.CouldNotRun))
                .toList();
        this.targets = new ArrayList<>(new LinkedHashSet<>(records.stream().map(SelectionSummary::target).toList()));
        this.capabilities = new LinkedHashMap<>();
        targets.stream().filter(t -> report.capabilities().containsKey(t))
                .forEach(t -> capabilities.put(t, report.capabilities().get(t)));
    }

    static String target(ResultRecord r) {
        return r.id().target();
    }

    /** Every target with a record that ran, in the order of the records. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** The dimensions this run measured: every suite's, then every suite's of cost; none without a figure. */
    List<Dimension> dimensions() {
        List<Dimension> dimensions = new ArrayList<>();
        for (Suite suite : Suites.ALL) {
            suite.report().dimensions(this, mine(suite)).forEach(d -> add(dimensions, d));
        }
        for (Suite suite : Suites.ALL) {
            suite.report().costDimensions(this, mine(suite)).forEach(d -> add(dimensions, d));
        }
        return dimensions;
    }

    /** The summary as markdown: the dimension table, durability, and picks for common workloads. */
    void render(StringBuilder md) {
        List<Dimension> dimensions = dimensions();
        line(md, "## Selection summary");
        line(md, "");
        line(md, "Which backend, with which strategy, leads each dimension, by what ratio over the runner-up, and"
                + " every target's figure (best first). Ratios are of medians; read them with the caveats below.");
        line(md, "");
        line(md, "| dimension | leader | ahead of the runner-up by | all, best first | measured as |");
        line(md, "|---|---|---|---|---|");
        for (Dimension d : dimensions) {
            List<Map.Entry<String, Double>> ranking = d.ranking();
            List<String> all = new ArrayList<>();
            ranking.forEach(e -> all.add(e.getKey() + " " + figure(e.getValue(), d.unit())));
            d.excluded().forEach((t, why) -> all.add(t + " **" + why + "**"));
            String leader = "none";
            if (!ranking.isEmpty()) {
                double best = ranking.getFirst().getValue();
                leader = "**" + String.join(", ", ranking.stream().filter(e -> e.getValue() == best)
                        .map(Map.Entry::getKey).toList()) + "** " + figure(best, d.unit());
            }
            line(md, "| " + d.name() + " | " + leader + " | " + ratio(d, ranking) + " | " + String.join(" · ", all)
                    + " | " + d.how() + " |");
        }
        if (!capabilities.isEmpty()) {
            Durability strongest = capabilities.values().stream().map(Declared::durability)
                    .max(Comparator.naturalOrder()).orElseThrow();
            List<String> leaders = capabilities.entrySet().stream()
                    .filter(e -> e.getValue().durability() == strongest).map(Map.Entry::getKey).toList();
            line(md, "| durability declared | **" + String.join(", ", leaders) + "** " + strongest + " | strongest"
                    + " declared | " + String.join(" · ", capabilities.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<String, Declared> e) -> e.getValue().durability())
                            .reversed())
                    .map(e -> e.getKey() + " " + e.getValue().durability()).toList())
                    + " | what the backend declares (see caveats) |");
        }
        line(md, "");
        picks(md, dimensions);
    }

    /**
     * "Which one for my workload": each suite's picks in the order of the suites, e.g. the fastest at each level of
     * durability, the lowest tail latency, the fastest of those with the fewest conflicts on one queue.
     */
    private void picks(StringBuilder md, List<Dimension> dimensions) {
        Map<String, Dimension> byName = new LinkedHashMap<>();
        dimensions.forEach(d -> byName.put(d.name(), d));
        Map<String, String> picks = new LinkedHashMap<>();
        for (Suite suite : Suites.ALL) {
            picks.putAll(suite.report().picks(this, byName, mine(suite)));
        }
        if (picks.isEmpty()) {
            return;
        }
        line(md, "**Which one for my workload?**");
        line(md, "");
        picks.forEach((need, pick) -> line(md, "- " + need + ": " + pick));
        line(md, "");
    }

    /** The fastest target (by {@code peak}) declaring at least {@code atLeast}, with its figure and durability. */
    public String fastest(Dimension peak, Durability atLeast) {
        return peak.ranking().stream()
                .filter(e -> capabilities.containsKey(e.getKey())
                        && capabilities.get(e.getKey()).durability().compareTo(atLeast) >= 0)
                .findFirst()
                .map(e -> pick(e.getKey(), figure(e.getValue(), peak.unit()) + ", "
                        + capabilities.get(e.getKey()).durability()))
                .orElse("none of the backends measured declares " + atLeast + " or stronger");
    }

    /**
     * "**target (why)**", and a warning when the target lost or duplicated jobs anywhere in this run outside the suites
     * that judge those in their own section ({@link SuiteReport#warnsPicks}), e.g. chaos, whose redeliveries after a
     * fault and losses its durability allows are expected.
     */
    public String pick(String target, String why) {
        List<ResultRecord> mine = records.stream()
                .filter(r -> target(r).equals(target) && Suites.reportOf(r.id().suite()).warnsPicks()).toList();
        long lost = mine.stream().mapToLong(r -> r.jobs().lost()).sum();
        long duplicated = mine.stream().mapToLong(r -> r.jobs().duplicated()).sum();
        return "**" + target + " (" + why + ")**" + (lost + duplicated == 0 ? ""
                : " — but it lost " + lost + " and duplicated " + duplicated + " jobs in this run (see the cases)");
    }

    /** The records of {@code suite} that ran. */
    private List<ResultRecord> mine(Suite suite) {
        return Suites.recordsOf(suite.name(), records);
    }

    /**
     * Each target's figure, in the summary's order of targets: {@code figure} of the target's records among
     * {@code suiteRecords}; a target without one there, or whose figure is empty, has none.
     */
    public Map<String, Double> perTarget(List<ResultRecord> suiteRecords,
            Function<List<ResultRecord>, OptionalDouble> figure) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String t : targets) {
            List<ResultRecord> mine = suiteRecords.stream().filter(r -> target(r).equals(t)).toList();
            if (!mine.isEmpty()) {
                figure.apply(mine).ifPresent(v -> figures.put(t, v));
            }
        }
        return figures;
    }

    /** The largest {@code figure} of the records {@code which} selects. */
    public static OptionalDouble max(List<ResultRecord> mine, Predicate<ResultRecord> which,
            ToDoubleFunction<ResultRecord> figure) {
        return mine.stream().filter(which).mapToDouble(figure).max();
    }

    /** The smallest {@code figure} of the records {@code which} selects. */
    public static OptionalDouble min(List<ResultRecord> mine, Predicate<ResultRecord> which,
            ToDoubleFunction<ResultRecord> figure) {
        return mine.stream().filter(which).mapToDouble(figure).min();
    }

    private static void add(List<Dimension> dimensions, Dimension d) {
        if (!d.figures().isEmpty() || !d.excluded().isEmpty()) {
            dimensions.add(d);
        }
    }

    /**
     * "1.80× over x" against the best target behind the leader(s) (lower is better: "1.80× lower than x", its
     * figure over the leader's); where a figure is zero or negative a ratio means nothing: the difference instead.
     */
    static String ratio(Dimension d, List<Map.Entry<String, Double>> ranking) {
        if (ranking.size() < 2) {
            return ranking.isEmpty() ? "–" : "only one measured";
        }
        double best = ranking.getFirst().getValue();
        Optional<Map.Entry<String, Double>> behind = ranking.stream().filter(e -> e.getValue() != best).findFirst();
        if (behind.isEmpty()) {
            return "all equal";
        }
        double next = behind.get().getValue();
        String runnerUp = behind.get().getKey();
        double low = Math.min(best, next);
        double high = Math.max(best, next);
        if (low <= 0) {
            return figure(Math.abs(best - next), d.unit()) + (d.higherIsBetter() ? " more" : " less") + " than "
                    + runnerUp + " (" + figure(next, d.unit()) + ")";
        }
        return figure(high / low, "×") + " " + (d.higherIsBetter() ? "over" : "lower than") + " " + runnerUp;
    }

    /** {@code value} with its unit, e.g. {@code 5,000 jobs/s}, {@code 3.00 ms}, {@code 1.25×}. */
    public static String figure(double value, String unit) {
        String number = value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        return unit.equals("×") ? number + "×" : number + " " + unit;
    }

    private static void line(StringBuilder md, String text) {
        md.append(text).append('\n');
    }
}
