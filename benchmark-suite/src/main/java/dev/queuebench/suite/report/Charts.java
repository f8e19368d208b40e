package dev.queuebench.suite.report;

import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.run.Suites;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
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
 * The report's charts, drawn with XChart and saved as SVG (headless) from the {@link Plot}s each suite asks for:
 * every backend and strategy on the same axes, each with the same colour in every chart, so one look shows who
 * leads. The charts against workers come first, then the percentile distributions, then those over time.
 */
public final class Charts {
    /** A chart written to {@code charts/}: its path relative to the run folder and what it shows. */
    public record Chart(String path, String caption) {}

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22)};
    private static final int WIDTH = 860;
    private static final int HEIGHT = 460;

    private Charts() {}

    /**
     * Writes every chart the suites ask for (see {@link SuiteReport#charts}) into {@code dir}, grouped by their x
     * axis and in the order of the suites within a group; returns them in the order the report shows them.
     */
    public static List<Chart> write(RunReport report, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<ResultRecord> records = report.results();
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(records.stream().map(Charts::target).toList()));
        List<Plot> plots = new ArrayList<>();
        for (Suite suite : Suites.ALL) {
            plots.addAll(suite.report().charts(Suites.recordsOf(suite.name(), records), targets));
        }
        List<Chart> written = new ArrayList<>();
        for (Plot plot : plots.stream().sorted(Comparator.comparing(Plot::x)).toList()) {
            save(dir, written, plot.name(), draw(plot, targets), plot.caption());
        }
        return written;
    }

    /** The plot as an XChart chart, each line in its target's colour. */
    private static XYChart draw(Plot plot, List<String> targets) {
        XYChart chart = chart(plot.title(), plot.x().title, plot.yTitle());
        chart.getStyler().setYAxisLogarithmic(plot.logY());
        if (plot.x() == Plot.Axis.PERCENTILE_NINES) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileAtNines);
        }
        for (Plot.Line line : plot.lines()) {
            List<Number> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < line.x().size(); i++) {
                if (!plot.logY() || line.y().get(i) > 0) {
                    x.add(line.x().get(i));
                    y.add(line.y().get(i));
                }
            }
            if (!x.isEmpty()) {
                style(chart.addSeries(line.name(), x, y), PALETTE[targets.indexOf(line.target()) % PALETTE.length],
                        line.path());
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

    private static String target(ResultRecord r) {
        return r.id().target();
    }
}
