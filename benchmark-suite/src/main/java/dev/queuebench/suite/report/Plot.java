package dev.queuebench.suite.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * A chart a suite asks the report for, as data: {@link Charts} draws it (colours, fonts, SVG). A line with no point
 * is not drawn, nor, on a log axis, a point at or below zero; a chart with no line is not written.
 *
 * @param name    the file name in {@code charts/}, without {@code .svg}
 * @param logY    true for a logarithmic y axis
 * @param caption what the report says under it
 */
public record Plot(String name, String title, Axis x, String yTitle, boolean logY, String caption, List<Line> lines) {

    /** The x axis; the report shows the charts grouped by it, in this order. */
    public enum Axis {
        WORKERS("workers"),
        /** The round trip the network scenario set between the consumers and the servers. */
        ROUND_TRIP("round trip, ms (set)"),
        /** Percentiles on a log scale of nines: x is log10(1 / (1 - percentile)), labelled 90 %, 99 %, .... */
        PERCENTILE_NINES("percentile (log scale of nines)"),
        SECONDS("seconds");

        final String title;

        Axis(String title) {
            this.title = title;
        }
    }

    /**
     * One line, in its target's colour: solid with circles, dashed with diamonds when {@code path} is
     * {@code single}.
     *
     * @param name the legend's label
     */
    public record Line(String name, String target, String path, List<? extends Number> x, List<Double> y) {}

    public Plot {
        lines = List.copyOf(lines);
    }

    /**
     * One line per target over W, in the order of {@code targets}: {@code figure} of the records {@code which}
     * selects, named the target followed by {@code path} unless that is empty.
     */
    public static List<Line> overWorkers(List<String> targets, List<ResultRecord> records,
            Predicate<ResultRecord> which, ToDoubleFunction<ResultRecord> figure, String path) {
        List<Line> lines = new ArrayList<>();
        for (String target : targets) {
            List<ResultRecord> mine = records.stream()
                    .filter(r -> r.id().target().equals(target) && which.test(r))
                    .sorted(Comparator.comparingInt(r -> r.setup().workers()))
                    .toList();
            lines.add(new Line(path.isEmpty() ? target : target + " " + path, target, path,
                    mine.stream().map(r -> r.setup().workers()).toList(),
                    mine.stream().map(figure::applyAsDouble).map(Double::valueOf).toList()));
        }
        return lines;
    }

    /**
     * One line per target over the round trip the network scenario set ({@link ResultRecord#rttSetMs()}), in the
     * order of {@code targets}: {@code figure} of the records {@code which} selects among those that have one, named
     * the target followed by {@code path} unless that is empty.
     */
    public static List<Line> overRoundTrip(List<String> targets, List<ResultRecord> records,
            Predicate<ResultRecord> which, ToDoubleFunction<ResultRecord> figure, String path) {
        List<Line> lines = new ArrayList<>();
        for (String target : targets) {
            List<ResultRecord> mine = records.stream()
                    .filter(r -> r.id().target().equals(target) && r.rttSetMs().isPresent() && which.test(r))
                    .sorted(Comparator.comparingDouble(r -> r.rttSetMs().getAsDouble()))
                    .toList();
            lines.add(new Line(path.isEmpty() ? target : target + " " + path, target, path,
                    mine.stream().map(r -> r.rttSetMs().getAsDouble()).toList(),
                    mine.stream().map(figure::applyAsDouble).map(Double::valueOf).toList()));
        }
        return lines;
    }
}
