package dev.queuebench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report's charts as plain SVG line charts (no charting library, nothing to render headless): throughput
 * against workers per path, concurrency throughput against workers per strategy, heap after GC over time.
 */
public final class Charts {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 180;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private Charts() {}

    /** Writes every chart the report has data for into {@code dir}; returns their paths relative to the run folder. */
    public static List<String> write(RunReport report, Path dir) throws IOException {
        Map<String, String> charts = new TreeMap<>();
        for (String backend : new TreeSet<>(report.results().stream().map(ResultRecord::backend).toList())) {
            Map<String, List<double[]>> throughput = new TreeMap<>();
            Map<String, List<double[]>> concurrency = new TreeMap<>();
            Map<String, List<double[]>> heap = new TreeMap<>();
            for (ResultRecord r : report.results()) {
                if (!r.backend().equals(backend)) {
                    continue;
                }
                if (r.suite().equals(ThroughputSuite.NAME) && r.caseName().startsWith("drain_")) {
                    throughput.computeIfAbsent(r.caseName(), k -> new ArrayList<>())
                            .add(new double[] {r.workers(), r.throughputJobsPerSec()});
                } else if (r.suite().equals(ConcurrencySuite.NAME)) {
                    concurrency.computeIfAbsent(r.strategy(), k -> new ArrayList<>())
                            .add(new double[] {r.workers(), r.throughputJobsPerSec()});
                } else if (r.memory() != null) {
                    heap.put(r.caseName(), r.memory().samples().stream()
                            .map(s -> new double[] {s.tMs() / 1000.0, s.heapBytes() / 1048576.0})
                            .toList());
                }
            }
            put(charts, "throughput_" + backend, lineChart(backend + ": drain throughput against workers",
                    "workers", "jobs/s", throughput));
            put(charts, "concurrency_" + backend, lineChart(backend + ": one queue, W competing workers",
                    "workers", "jobs/s", concurrency));
            put(charts, "memory_" + backend, lineChart(backend + ": heap after GC", "seconds", "MiB", heap));
        }
        List<String> written = new ArrayList<>();
        if (!charts.isEmpty()) {
            Files.createDirectories(dir);
        }
        for (Map.Entry<String, String> chart : charts.entrySet()) {
            Files.writeString(dir.resolve(chart.getKey() + ".svg"), chart.getValue());
            written.add("charts/" + chart.getKey() + ".svg");
        }
        return written;
    }

    private static void put(Map<String, String> charts, String name, String svg) {
        if (svg != null) {
            charts.put(name, svg);
        }
    }

    /** An SVG line chart of the series (points sorted by x), or null when there is nothing to draw. */
    static String lineChart(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        List<double[]> all = series.values().stream().flatMap(List::stream).toList();
        if (all.isEmpty()) {
            return null;
        }
        double maxX = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double minX = all.stream().mapToDouble(p -> p[0]).min().orElse(0);
        double maxY = all.stream().mapToDouble(p -> p[1]).max().orElse(1) * 1.1;
        double spanX = maxX > minX ? maxX - minX : 1;
        double spanY = maxY > 0 ? maxY : 1;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                WIDTH, HEIGHT));
        svg.append(text(WIDTH / 2.0, 22, "middle", escape(title)));
        svg.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>%n",
                LEFT, TOP, TOP + plotH, LEFT + plotW));
        for (int i = 0; i <= 4; i++) {
            double value = spanY * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(text(LEFT - 6, y + 4, "end", String.format(Locale.ROOT, "%,.0f", value)));
        }
        for (double x : new TreeSet<>(all.stream().map(p -> p[0]).toList()).descendingSet()) {
            svg.append(text(LEFT + plotW * (x - minX) / spanX, TOP + plotH + 16, "middle",
                    String.format(Locale.ROOT, "%.0f", x)));
            if (all.size() > 40) {
                break; // a time series: label the end only
            }
        }
        svg.append(text(LEFT + plotW / 2.0, HEIGHT - 10, "middle", escape(xLabel)));
        svg.append(text(14, TOP - 10, "start", escape(yLabel)));
        int colour = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            String stroke = COLOURS[colour % COLOURS.length];
            List<double[]> points = new ArrayList<>(s.getValue());
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            StringBuilder path = new StringBuilder();
            for (double[] p : points) {
                path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
                        LEFT + plotW * (p[0] - minX) / spanX, TOP + plotH - plotH * p[1] / spanY));
            }
            svg.append(String.format(Locale.ROOT,
                    "<path d=\"%s\" stroke=\"%s\" stroke-width=\"2\" fill=\"none\"/>%n", path, stroke));
            double legendY = TOP + 16 + 18 * colour;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%.0f\" width=\"12\" height=\"3\" fill=\"%s\"/>%n", LEFT + plotW + 12,
                    legendY - 5, stroke));
            svg.append(text(LEFT + plotW + 30, legendY, "start", escape(s.getKey())));
            colour++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
                x, y, anchor, content);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
