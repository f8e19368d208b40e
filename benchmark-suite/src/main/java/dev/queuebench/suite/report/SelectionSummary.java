package dev.queuebench.suite.report;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.suite.chaos.ChaosSuite;
import dev.queuebench.suite.report.RunReport.Declared;
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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The opening of the report: for each dimension a user chooses a backend by, which backend/strategy leads, by what
 * ratio over the runner-up, and every target's figure; then which to pick for common workloads. Every figure is
 * computed from the run's records; nothing is hard-coded.
 */
final class SelectionSummary {
    private final List<ResultRecord> records;
    private final Map<String, Declared> capabilities;
    private final List<String> targets;

    /**
     * One dimension: each target's figure (absent where not measured), whether higher is better, and the targets
     * left out of the ranking with the reason (e.g. jobs lost).
     */
    record Dimension(String name, String how, String unit, boolean higherIsBetter, Map<String, Double> figures,
            Map<String, String> excluded) {

        Dimension(String name, String how, String unit, boolean higherIsBetter, Map<String, Double> figures) {
            this(name, how, unit, higherIsBetter, figures, Map.of());
        }

        /** Targets ordered best first. */
        List<Map.Entry<String, Double>> ranking() {
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

    /** The dimensions this run measured, in the order the summary shows them. */
    List<Dimension> dimensions() {
        List<Dimension> dimensions = new ArrayList<>();
        add(dimensions, new Dimension("peak throughput", "best drain of noop jobs at any W, either path", "jobs/s",
                true, perTarget(mine -> max(mine, this::noopDrain, r -> r.throughput().jobsPerSec()))));
        int topW = records.stream().filter(this::noopDrain).mapToInt(r -> r.setup().workers()).max().orElse(0);
        add(dimensions, new Dimension("throughput per worker", "noop drain at W=" + topW + ", best path, ÷ W",
                "jobs/s per worker", true, perTarget(mine -> max(mine,
                        r -> noopDrain(r) && r.setup().workers() == topW, r -> r.throughput().jobsPerSecPerWorker()))));
        int lowW = records.stream().filter(this::noopDrain).mapToInt(r -> r.setup().workers()).min().orElse(0);
        int highW = records.stream().filter(this::noopDrain).mapToInt(r -> r.setup().workers())
                .filter(w -> w <= 16).max().orElse(0);
        if (highW > lowW) {
            add(dimensions, new Dimension("scaling " + lowW + "→" + highW + " workers", "best noop drain at W="
                    + highW + " ÷ at W=" + lowW, "×", true, perTarget(mine -> {
                        OptionalDouble high = max(mine, r -> noopDrain(r) && r.setup().workers() == highW,
                                r -> r.throughput().jobsPerSec());
                        OptionalDouble low = max(mine, r -> noopDrain(r) && r.setup().workers() == lowW,
                                r -> r.throughput().jobsPerSec());
                        return high.isPresent() && low.isPresent() && low.getAsDouble() > 0
                                ? OptionalDouble.of(high.getAsDouble() / low.getAsDouble()) : OptionalDouble.empty();
                    })));
        }
        commonLatencyCase().ifPresent(c -> add(dimensions, new Dimension("p99 latency at a fixed rate",
                c.replace("open_loop_", "open loop at ").replace("_per_s", "/s") + ", intended enqueue → handler"
                        + " start", "ms", false, perTarget(mine -> max(mine,
                        r -> r.id().suite().equals(LatencySuite.NAME) && r.id().caseName().equals(c),
                        r -> r.latencyMs().p99())))));
        int contendW = records.stream().filter(r -> r.id().suite().equals(ConcurrencySuite.NAME))
                .mapToInt(r -> r.setup().workers()).max().orElse(0);
        add(dimensions, new Dimension("conflicts and lock errors under contention", "claim conflicts + lock errors"
                + " per 1,000 jobs, W=" + contendW + " on one queue", "per 1,000 jobs", false, perTarget(mine -> max(
                mine, r -> r.id().suite().equals(ConcurrencySuite.NAME) && r.setup().workers() == contendW
                        && r.jobs().completed() > 0,
                r -> 1000.0 * (r.contention().claimConflicts() + r.contention().lockErrors())
                        / r.jobs().completed()))));
        Map<String, String> disqualified = new LinkedHashMap<>();
        for (String t : targets) {
            long lost = stress(t).mapToLong(r -> r.jobs().lost()).sum();
            long duplicated = stress(t).mapToLong(r -> r.jobs().duplicated()).sum();
            if (lost + duplicated > 0) {
                disqualified.put(t, "disqualified: " + lost + " lost, " + duplicated + " duplicated");
            }
        }
        add(dimensions, new Dimension("behaviour under stress", "time to drain all stress cases (burst, backlog,"
                + " sparse queues, large payloads, failing handlers); a loss or duplicate disqualifies", "ms", false,
                perTarget(mine -> disqualified.containsKey(target(mine.getFirst())) ? OptionalDouble.empty()
                        : stressTime(mine)), disqualified));
        add(dimensions, new Dimension("memory growth", "client heap after GC, least-squares slope during the"
                + " sustained run", "MiB/min", false, perTarget(mine -> max(mine, r -> r.memory() != null,
                r -> r.memory().heapGrowthBytesPerMin() / (1 << 20)))));
        add(dimensions, new Dimension("backend footprint", "peak during the sustained run: " + Footprints.DEFINITION,
                "MiB", false, perTarget(mine -> mine.stream().filter(r -> r.memory() != null)
                .flatMap(r -> r.memory().samples().stream())
                .mapToDouble(s -> Footprints.bytes(s.footprint()) / (double) (1 << 20))
                .max())));
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
     * "Which one for my workload": the fastest at each level of durability, the lowest tail latency, and for many
     * workers on one queue the fastest of those with the fewest conflicts and lock errors.
     */
    private void picks(StringBuilder md, List<Dimension> dimensions) {
        Map<String, Dimension> byName = new LinkedHashMap<>();
        dimensions.forEach(d -> byName.put(d.name(), d));
        Map<String, String> picks = new LinkedHashMap<>();
        Dimension peak = byName.get("peak throughput");
        if (peak != null) {
            picks.put("Most jobs per second, whatever the durability", fastest(peak, Durability.PROCESS));
            picks.put("Jobs shared by several processes (held outside the producing process)",
                    fastest(peak, Durability.VOLATILE));
            picks.put("Jobs must survive a crash of the process or the server", fastest(peak, Durability.CRASH_SAFE));
            picks.put("Every job on stable storage before its enqueue returns", fastest(peak, Durability.DURABLE));
        }
        Dimension latency = byName.get("p99 latency at a fixed rate");
        if (latency != null) {
            Map.Entry<String, Double> best = latency.ranking().getFirst();
            picks.put("Lowest tail latency at a steady rate", pick(best.getKey(), "p99 "
                    + figure(best.getValue(), latency.unit())));
        }
        Dimension contention = byName.get("conflicts and lock errors under contention");
        if (contention != null) {
            double fewest = contention.ranking().getFirst().getValue();
            int topW = records.stream().filter(r -> r.id().suite().equals(ConcurrencySuite.NAME))
                    .mapToInt(r -> r.setup().workers()).max().orElse(0);
            contention.figures().entrySet().stream().filter(e -> e.getValue() == fewest)
                    .flatMap(e -> records.stream().filter(r -> target(r).equals(e.getKey())
                            && r.id().suite().equals(ConcurrencySuite.NAME) && r.setup().workers() == topW))
                    .max(Comparator.comparingDouble(r -> r.throughput().jobsPerSec()))
                    .ifPresent(r -> picks.put("Many workers on one queue", pick(target(r),
                            figure(r.throughput().jobsPerSec(), "jobs/s") + " with " + topW + " workers, "
                                    + figure(fewest, contention.unit()) + " conflicts and lock errors")));
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
    private String fastest(Dimension peak, Durability atLeast) {
        return peak.ranking().stream()
                .filter(e -> capabilities.containsKey(e.getKey())
                        && capabilities.get(e.getKey()).durability().compareTo(atLeast) >= 0)
                .findFirst()
                .map(e -> pick(e.getKey(), figure(e.getValue(), peak.unit()) + ", "
                        + capabilities.get(e.getKey()).durability()))
                .orElse("none of the backends measured declares " + atLeast + " or stronger");
    }

    /**
     * "**target (why)**", and a warning when the target lost or duplicated jobs anywhere in this run outside the chaos
     * suite, whose redeliveries after a fault and losses its durability allows are judged in its own section.
     */
    private String pick(String target, String why) {
        List<ResultRecord> mine = records.stream()
                .filter(r -> target(r).equals(target) && !r.id().suite().equals(ChaosSuite.NAME)).toList();
        long lost = mine.stream().mapToLong(r -> r.jobs().lost()).sum();
        long duplicated = mine.stream().mapToLong(r -> r.jobs().duplicated()).sum();
        return "**" + target + " (" + why + ")**" + (lost + duplicated == 0 ? ""
                : " — but it lost " + lost + " and duplicated " + duplicated + " jobs in this run (see the cases)");
    }

    private boolean noopDrain(ResultRecord r) {
        return r.id().suite().equals(ThroughputSuite.NAME) && r.id().caseName().startsWith("drain_noop");
    }

    /** The latency case every target ran, at the highest rate. */
    private Optional<String> commonLatencyCase() {
        return records.stream().filter(r -> r.id().suite().equals(LatencySuite.NAME))
                .filter(r -> targets.stream().allMatch(t -> records.stream().anyMatch(
                        o -> target(o).equals(t) && o.id().suite().equals(LatencySuite.NAME)
                                && o.id().caseName().equals(r.id().caseName()))))
                .max(Comparator.comparingDouble(r -> ((Number) r.details().getOrDefault("target_rate_per_sec", 0))
                        .doubleValue()))
                .map(r -> r.id().caseName());
    }

    /** The stress records of one target. */
    private Stream<ResultRecord> stress(String target) {
        return records.stream().filter(r -> target(r).equals(target) && r.id().suite().equals(StressSuite.NAME));
    }

    /** Total time to drain the stress cases. */
    private OptionalDouble stressTime(List<ResultRecord> mine) {
        List<ResultRecord> stress = mine.stream().filter(r -> r.id().suite().equals(StressSuite.NAME)).toList();
        return stress.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(stress.stream().mapToLong(r -> r.throughput().durationMs()).sum());
    }

    private Map<String, Double> perTarget(Function<List<ResultRecord>, OptionalDouble> figure) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String t : targets) {
            figure.apply(records.stream().filter(r -> target(r).equals(t)).toList())
                    .ifPresent(v -> figures.put(t, v));
        }
        return figures;
    }

    /** The largest {@code figure} of the records {@code which} selects. */
    private static OptionalDouble max(List<ResultRecord> mine, Predicate<ResultRecord> which,
            ToDoubleFunction<ResultRecord> figure) {
        return mine.stream().filter(which).mapToDouble(figure).max();
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

    static String figure(double value, String unit) {
        String number = value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        return unit.equals("×") ? number + "×" : number + " " + unit;
    }

    private static void line(StringBuilder md, String text) {
        md.append(text).append('\n');
    }
}
