package dev.queuebench.suite.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.queuebench.suite.report.RunReport.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Writes a run folder {@code results/<yyyyMMdd_HHmmss>/} (UTC): {@code <suite>_results_<stamp>.json} per suite that
 * ran, {@code benchmark_results_<stamp>.json} with everything, {@code benchmark_report_<stamp>.md} and the
 * {@code charts/*.svg} it links to, and {@code benchmark_report_<stamp>.html} with the charts inline. Reads a run's
 * combined file back for {@code -Dbaseline}.
 */
public final class ReportWriter {
    /** The stamp of folder and file names, from the run's start in UTC. */
    public static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** Writes every file of the run into a new folder under {@code resultsDir}; returns the folder. */
    public static Path write(RunReport report, Path resultsDir, String stamp, List<String> suites) {
        try {
            Path folder = newFolder(resultsDir, stamp);
            for (String suite : suites) {
                JSON.writeValue(folder.resolve(suite + "_results_" + stamp + ".json").toFile(),
                        report.onlySuite(suite));
            }
            JSON.writeValue(folder.resolve("benchmark_results_" + stamp + ".json").toFile(), report);
            writeReports(report, folder);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run folder under " + resultsDir.toAbsolutePath(), e);
        }
    }

    /**
     * Draws a run folder's charts and writes its markdown and HTML reports again from its combined JSON (e.g. after
     * the report code changed); the JSON files are left as they are. Returns the markdown report's path.
     */
    public static Path redraw(Path folder) {
        RunReport report = readRun(folder);
        try {
            return writeReports(report, folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports into " + folder.toAbsolutePath(), e);
        }
    }

    private static Path writeReports(RunReport report, Path folder) throws IOException {
        String stamp = report.runId();
        List<Charts.Chart> charts = Charts.write(report, folder.resolve("charts"));
        String markdown = MarkdownReport.render(report, charts);
        Path md = Files.writeString(folder.resolve("benchmark_report_" + stamp + ".md"), markdown,
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("benchmark_report_" + stamp + ".html"),
                HtmlReport.render("QueueBench run " + stamp, markdown, folder), StandardCharsets.UTF_8);
        return md;
    }

    /** Parses a combined (or per-suite) results file. */
    public static RunReport read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunReport.class);
    }

    /** The combined results of an earlier run folder. */
    public static RunReport readRun(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            Path combined = files.filter(f -> f.getFileName().toString().startsWith("benchmark_results_")
                            && f.getFileName().toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no benchmark_results_*.json in " + folder));
            return read(combined);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the baseline run " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Git commit, JDK, OS, CPU, cores, memory, max heap, and each backend's server facts. */
    public static Environment environment(boolean virtualThreads, Map<String, Map<String, String>> servers) {
        return new Environment(gitCommit(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                procField("/proc/cpuinfo", "model name").orElse("unknown"),
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/meminfo", "MemTotal").map(kb -> Long.parseLong(kb.replaceAll("[^0-9]", "")) * 1024)
                        .orElse(0L),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax(),
                virtualThreads, servers);
    }

    /** The value of the first {@code name: value} line of a {@code /proc} file, if there is one. */
    private static Optional<String> procField(String file, String name) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(name) && l.contains(":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** {@code git rev-parse HEAD} of the working directory, or {@code unknown}. */
    static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static Path newFolder(Path resultsDir, String stamp) throws IOException {
        Files.createDirectories(resultsDir);
        for (int n = 1; ; n++) {
            Path folder = resultsDir.resolve(n == 1 ? stamp : stamp + "_" + n);
            try {
                return Files.createDirectory(folder);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // two runs in one second: take the next free name
            }
        }
    }
}
