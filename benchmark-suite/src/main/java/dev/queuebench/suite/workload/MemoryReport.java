package dev.queuebench.suite.workload;

import dev.queuebench.suite.report.Comparison.Merit;
import dev.queuebench.suite.report.Plot;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.ResultRecord.MemorySample;
import dev.queuebench.suite.report.SelectionSummary;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the report shows of the memory suite: its table, the client heap, the backend footprint and the server's
 * resident memory over time, memory growth (client and server) and backend footprint among the costs of the
 * selection summary, its cost row; nothing compared with a baseline (its rate is fixed by the case, its heap figures
 * perturbed by GC calls).
 */
final class MemoryReport implements SuiteReport {
    private static final double MIB = 1 << 20;

    @Override
    public List<String> tables(List<ResultRecord> mine, List<String> targets) {
        Table table = new Table("**Memory**, the sustained open-loop run: the benchmark JVM's heap after GC and RSS,"
                + " and the backend's footprint.", "figure");
        for (ResultRecord r : mine) {
            ResultRecord.Memory m = r.memory();
            if (m == null) {
                continue;
            }
            table.cell("heap peak", r, Table.mib(m.heapPeakBytes()));
            table.cell("heap growth", r, Table.mib((long) m.heapGrowthBytesPerMin()) + "/min");
            if (m.ledgerGrowthBytesPerMin() != null) {
                table.cell("harness ledger growth (left out of heap growth)", r,
                        Table.mib(Math.round(m.ledgerGrowthBytesPerMin())) + "/min");
            }
            table.cell("RSS peak", r, Table.mib(m.rssPeakBytes()));
            table.cell("GCs (pause)", r, m.gcCount() + " (" + m.gcPauseMs() + " ms)");
            table.cell("threads peak", r, Integer.toString(m.threadsPeak()));
            if (!m.samples().isEmpty()) {
                OptionalLong first = Footprints.bytes(m.samples().getFirst().footprint());
                OptionalLong last = Footprints.bytes(m.samples().getLast().footprint());
                table.cell("backend footprint, first → last", r, first.isPresent() && last.isPresent()
                        ? Table.mib(first.getAsLong()) + " → " + Table.mib(last.getAsLong()) : "not told");
                table.cell("backend's own figures at the end", r, m.samples().getLast().footprint().toString());
            }
            List<MemorySample> server = m.samples().stream().filter(s -> s.serverRssBytes() != null).toList();
            if (!server.isEmpty()) {
                table.cell("server RSS, first → last", r, Table.mib(server.getFirst().serverRssBytes()) + " → "
                        + Table.mib(server.getLast().serverRssBytes()));
            }
            if (m.serverRssGrowthBytesPerMin() != null) {
                table.cell("server RSS growth", r, Table.mib(Math.round(m.serverRssGrowthBytesPerMin())) + "/min");
            }
            if (!server.isEmpty() && server.getLast().serverCpuMs() != null) {
                table.cell("server CPU during the run", r, Table.ms(server.getLast().serverCpuMs()));
            }
            table.cell("verdict", r, m.leakVerdict());
        }
        return table.lines(targets);
    }

    /** The client heap after GC and the backend footprint, a line per target over the seconds of its run. */
    @Override
    public List<Plot> charts(List<ResultRecord> mine, List<String> targets) {
        List<Plot.Line> heap = new ArrayList<>();
        List<Plot.Line> footprint = new ArrayList<>();
        List<Plot.Line> server = new ArrayList<>();
        for (ResultRecord r : mine) {
            if (r.memory() != null && !r.memory().samples().isEmpty()) {
                List<MemorySample> samples = r.memory().samples();
                List<Double> seconds = samples.stream().map(s -> s.tMs() / 1000.0).toList();
                String target = r.id().target();
                heap.add(new Plot.Line(target, target, "", seconds,
                        samples.stream().map(s -> s.heapBytes() / MIB).toList()));
                List<MemorySample> told = samples.stream().filter(s -> Footprints.bytes(s.footprint()).isPresent())
                        .toList();
                if (!told.isEmpty()) {
                    footprint.add(new Plot.Line(target, target, "", told.stream().map(s -> s.tMs() / 1000.0).toList(),
                            told.stream().map(s -> Footprints.bytes(s.footprint()).getAsLong() / MIB).toList()));
                }
                List<MemorySample> read = samples.stream().filter(s -> s.serverRssBytes() != null).toList();
                if (!read.isEmpty()) {
                    server.add(new Plot.Line(target, target, "", read.stream().map(s -> s.tMs() / 1000.0).toList(),
                            read.stream().map(s -> s.serverRssBytes() / MIB).toList()));
                }
            }
        }
        return List.of(
                new Plot("memory_heap_over_time", "Client heap after GC during the sustained run", Plot.Axis.SECONDS,
                        "MiB", false, "Heap after GC of the benchmark JVM, sampled once a second during each"
                        + " backend's sustained run.", heap),
                new Plot("footprint_over_time", "Backend footprint during the sustained run", Plot.Axis.SECONDS,
                        "MiB", false, "The backend's own footprint during its sustained run: "
                        + Footprints.DEFINITION + ".", footprint),
                new Plot("server_rss_over_time", "Server resident memory during the sustained run",
                        Plot.Axis.SECONDS, "MiB", false, "VmRSS of the server processes each backend's ServerProcesses"
                        + " names, read from /proc once a second; only servers on this host, none for in-process"
                        + " backends.", server));
    }

    @Override
    public List<Merit> merits() {
        return List.of();
    }

    @Override
    public List<Dimension> costDimensions(SelectionSummary summary, List<ResultRecord> mine) {
        return List.of(
                new Dimension("memory growth", "client heap after GC less the harness ledger's retired-job tables,"
                        + " least-squares slope during the sustained run",
                        "MiB/min", false, summary.perTarget(mine, m -> SelectionSummary.max(m,
                        r -> r.memory() != null, r -> r.memory().heapGrowthBytesPerMin() / (1 << 20)))),
                new Dimension("server memory growth", "server processes' RSS (from /proc, servers on this host),"
                        + " least-squares slope during the sustained run", "MiB/min", false,
                        summary.perTarget(mine, m -> SelectionSummary.max(m,
                        r -> r.memory() != null && r.memory().serverRssGrowthBytesPerMin() != null,
                        r -> r.memory().serverRssGrowthBytesPerMin() / (1 << 20)))),
                new Dimension("backend footprint", "peak during the sustained run: " + Footprints.DEFINITION, "MiB",
                        false, summary.perTarget(mine, m -> m.stream().filter(r -> r.memory() != null)
                        .flatMap(r -> r.memory().samples().stream())
                        .map(s -> Footprints.bytes(s.footprint())).filter(OptionalLong::isPresent)
                        .mapToDouble(bytes -> bytes.getAsLong() / (double) (1 << 20))
                        .max())));
    }

    /** The case's name, for a record that has its memory figures. */
    @Override
    public Optional<String> costRow(ResultRecord r) {
        return r.memory() == null ? Optional.empty() : Optional.of(r.id().caseName());
    }
}
