package dev.queuebench.suite.report;

import dev.queuebench.suite.report.ResultRecord.MemorySample;
import dev.queuebench.suite.report.ResultRecord.PercentilePoint;
import dev.queuebench.suite.workload.ConcurrencySuite;
import dev.queuebench.suite.workload.Footprints;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.ThroughputSuite;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart and saved as SVG (headless): every backend and strategy on the same axes,
 * each with the same colour in every chart, so one look shows who leads. Throughput and concurrency against
 * workers, the latency percentile distribution per rate (HdrHistogram style: percentile on a log "nines" axis),
 * claim conflicts and lock errors against workers, client heap and backend footprint over time.
 */
public final class Charts {
    /** A chart written to {@code charts/}: its path relative to the run folder and what it shows. */
    public record Chart(String path, String caption) {}

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22)};
    private static final int WIDTH = 860;
    private static final int HEIGHT = 460;
    private static final double MIB = 1 << 20;

    private Charts() {}

    /** Writes every chart the run has data for into {@code dir}; returns them in the order the report shows them. */
    public static List<Chart> write(RunReport report, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<ResultRecord> records = report.results();
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(records.stream().map(Charts::target).toList()));
        List<Chart> written = new ArrayList<>();

        XYChart throughput = chart("Drain throughput against workers (noop jobs)", "workers", "jobs/s (log scale)");
        throughput.getStyler().setYAxisLogarithmic(true);
        for (String path : List.of("batched", "single")) {
            perTarget(throughput, targets, records, r -> r.id().suite().equals(ThroughputSuite.NAME)
                    && r.id().caseName().equals("drain_noop_" + path), r -> r.throughput().jobsPerSec(), path);
        }
        save(dir, written, "throughput_vs_workers", throughput, "Drain throughput of noop jobs against workers:"
                + " solid lines claim and acknowledge in batches, dashed lines one job at a time.");

        XYChart contention = chart("One queue, W competing workers", "workers", "jobs/s (log scale)");
        contention.getStyler().setYAxisLogarithmic(true);
        perTarget(contention, targets, records, r -> r.id().suite().equals(ConcurrencySuite.NAME),
                r -> r.throughput().jobsPerSec(), "");
        save(dir, written, "concurrency_vs_workers", contention,
                "Throughput of W workers competing for one queue, one job per claim, by strategy.");

        boolean anyLockError = records.stream()
                .anyMatch(r -> r.id().suite().equals(ConcurrencySuite.NAME) && r.contention().lockErrors() > 0);
        XYChart conflicts = chart("Claim conflicts against workers (one queue)", "workers", "conflicts per claim");
        perTarget(conflicts, targets, records, r -> r.id().suite().equals(ConcurrencySuite.NAME),
                r -> r.contention().claimConflictRate(), "");
        save(dir, written, "conflicts_vs_workers", conflicts, "Claim conflicts per claim call against workers:"
                + " claims that lost their candidate and retried." + (anyLockError ? "" : " No case had a lock error,"
                + " so there is no lock error chart."));

        if (anyLockError) {
            XYChart lockErrors = chart("Lock errors against workers (one queue)", "workers", "lock errors in the case");
            perTarget(lockErrors, targets, records, r -> r.id().suite().equals(ConcurrencySuite.NAME),
                    r -> r.contention().lockErrors(), "");
            save(dir, written, "lock_errors_vs_workers", lockErrors,
                    "Lock errors (SQLITE_BUSY, lock timeouts and kin) against workers on one queue.");
        }

        for (ResultRecord first : records) {
            if (first.id().suite().equals(LatencySuite.NAME)
                    && written.stream().noneMatch(c -> c.path().contains(latencyName(first)))) {
                save(dir, written, latencyName(first), latencyChart(first, targets, records), "Latency percentile"
                        + " distribution at " + first.details().get("target_rate_per_sec") + " jobs/s (open loop, from"
                        + " intended enqueue to handler start); the x axis is in nines: 90 %, 99 %, 99.9 %.");
            }
        }

        XYChart heap = chart("Client heap after GC during the sustained run", "seconds", "MiB");
        XYChart footprint = chart("Backend footprint during the sustained run", "seconds", "MiB");
        for (ResultRecord r : records) {
            if (r.memory() != null && !r.memory().samples().isEmpty()) {
                List<MemorySample> samples = r.memory().samples();
                List<Double> seconds = samples.stream().map(s -> s.tMs() / 1000.0).toList();
                style(heap.addSeries(target(r), seconds, samples.stream().map(s -> s.heapBytes() / MIB).toList()),
                        colour(targets, r), "");
                style(footprint.addSeries(target(r), seconds,
                        samples.stream().map(s -> Footprints.bytes(s.footprint()) / MIB).toList()), colour(targets, r), "");
            }
        }
        save(dir, written, "memory_heap_over_time", heap,
                "Heap after GC of the benchmark JVM, sampled once a second during each backend's sustained run.");
        save(dir, written, "footprint_over_time", footprint, "The backend's own footprint during its sustained"
                + " run: " + Footprints.DEFINITION + ".");

        return written;
    }

    private static String latencyName(ResultRecord r) {
        return "latency_percentiles_" + r.details().get("target_rate_per_sec") + "_per_s";
    }

    /**
     * One line per target for the latency case of {@code first}'s rate, HdrHistogram style: x is the number of
     * nines, log10(1 / (1 - percentile)), labelled with the percentile at each whole nine (0 %, 90 %, 99 %,
     * 99.9 %); y is in ms on a log axis. The 100 % point (the max) has no place on that axis; the tables give it.
     */
    private static XYChart latencyChart(ResultRecord first, List<String> targets, List<ResultRecord> records) {
        XYChart chart = chart("Latency by percentile at " + first.details().get("target_rate_per_sec") + " jobs/s",
                "percentile (log scale of nines)", "ms (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileAtNines);
        for (ResultRecord r : records) {
            if (!r.id().suite().equals(LatencySuite.NAME) || !r.id().caseName().equals(first.id().caseName())) {
                continue;
            }
            List<PercentilePoint> points = r.latencyMs().distribution().stream()
                    .filter(p -> p.percentile() < 100 && p.ms() > 0)
                    .toList();
            if (!points.isEmpty()) {
                style(chart.addSeries(target(r), points.stream().map(p -> Math.log10(100 / (100 - p.percentile())))
                        .toList(), points.stream().map(PercentilePoint::ms).toList()), colour(targets, r), "");
            }
        }
        return chart;
    }

    /** The tick label at {@code nines} nines: "90 %" at 1, "99.9 %" at 3; no label between whole nines. */
    static String percentileAtNines(double nines) {
        long whole = Math.round(nines);
        if (Math.abs(nines - whole) > 1e-6 || whole < 0) {
            return "";
        }
        return switch ((int) whole) {
            case 0 -> "0 %";
            case 1 -> "90 %";
            case 2 -> "99 %";
            default -> "99." + "9".repeat((int) whole - 2) + " %";
        };
    }

    /** One line per target over W: the records {@code which} selects, {@code figure} of each. */
    private static void perTarget(XYChart chart, List<String> targets, List<ResultRecord> records,
            Predicate<ResultRecord> which, ToDoubleFunction<ResultRecord> figure, String path) {
        boolean log = chart.getStyler().isYAxisLogarithmic();
        for (String target : targets) {
            List<ResultRecord> mine = records.stream()
                    .filter(r -> target(r).equals(target) && which.test(r) && (!log || figure.applyAsDouble(r) > 0))
                    .sorted(Comparator.comparingInt(r -> r.setup().workers()))
                    .toList();
            if (mine.isEmpty()) {
                continue;
            }
            String name = path.isEmpty() ? target : target + " " + path;
            XYSeries series = chart.addSeries(name, mine.stream().map(r -> r.setup().workers()).toList(),
                    mine.stream().map(figure::applyAsDouble).toList());
            style(series, colour(targets, mine.getFirst()), path);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(LegendPosition.OutsideE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setMarkerSize(7);
        styler.setXAxisDecimalPattern("#,##0.##");
        styler.setYAxisDecimalPattern("#,##0.###");
        return chart;
    }

    /** The target's colour; a dashed line for the one-at-a-time path. */
    private static void style(XYSeries series, Color colour, String path) {
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setMarker(path.equals("single") ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        series.setLineStyle(path.equals("single") ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        series.setLineWidth(2.2f);
    }

    /** Saves {@code chart} as {@code dir/name.svg} and lists it, unless it has no series. */
    private static void save(Path dir, List<Chart> written, String name, XYChart chart, String caption)
            throws IOException {
        if (!chart.getSeriesMap().isEmpty()) {
            Files.createDirectories(dir);
            VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name).toString(), VectorGraphicsFormat.SVG);
            written.add(new Chart("charts/" + name + ".svg", caption));
        }
    }

    private static Color colour(List<String> targets, ResultRecord r) {
        return PALETTE[targets.indexOf(target(r)) % PALETTE.length];
    }

    private static String target(ResultRecord r) {
        return r.id().target();
    }
}
