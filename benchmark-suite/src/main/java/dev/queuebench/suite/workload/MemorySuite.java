package dev.queuebench.suite.workload;

import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.cost.ServerProcessMeter;
import dev.queuebench.suite.cost.ServerUse;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.ResultRecord.Memory;
import dev.queuebench.suite.report.ResultRecord.MemorySample;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.workers.Task;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Memory: a sustained open-loop run (producer at a fixed rate, W workers) sampled once a second: heap after a
 * {@code System.gc()} (acceptable for this suite only: it perturbs the run it measures), RSS from
 * {@code /proc/self/status}, GC count and pause, live threads, the backend's own {@code footprint()}, the bytes of
 * the ledger's retired-job tables, and the server processes' resident memory and CPU time from {@code /proc}
 * (through the backend module's {@code ServerProcesses}, when the server runs on this host). Reports the peaks, heap
 * growth per minute (least-squares slope of the heap less the ledger's tables), the server's RSS growth, and a leak
 * verdict whose rule is {@link #LEAK_RULE}.
 */
public final class MemorySuite implements Suite {
    public static final String NAME = "memory";
    private static final int DEFAULT_RATE = 500;
    private static final int MIN_SAMPLES = 10;
    private static final double MIN_LEAK_SLOPE = 1 << 20;
    static final String LEAK_RULE = "leak suspected when the least-squares slope of heap-after-GC, less the ledger's"
            + " retired-job tables, over the samples after the first fifth exceeds both 1 MiB/min and 5 % of the mean"
            + " heap per minute; needs " + MIN_SAMPLES + " samples; the server's RSS growth, where it can be read,"
            + " follows the verdict (same slope, not part of the rule)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new MemoryReport();
    }

    /** The sustained case for {@code target}, not yet run. */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        RunOptions options = target.options();
        int workers = options.singleWorkers();
        int rate = options.rates().isEmpty() ? DEFAULT_RATE : options.rates().getFirst();
        Duration duration = Duration.ofSeconds(options.durationSeconds().orElse(options.scenario().memorySeconds));
        CaseSpec spec = new CaseSpec(this, "sustained_" + rate + "_per_s", workers, 1, Task.NOOP.label(), Map.of(
                "rate", Integer.toString(rate), "duration", Long.toString(duration.toSeconds()),
                "workers", Integer.toString(workers)));
        return List.of(() -> target.runCase(spec, 1, () -> sustained(target, rate, duration, workers, spec.name())));
    }

    private static CaseOutcome sustained(BackendUnderTest target, int rate, Duration duration, int workers,
            String phase) {
        QueueBackend backend = target.backend();
        List<MemorySample> samples = new ArrayList<>();
        Ledger ledger = Ledger.retiringCompleted();
        ServerProcessMeter server = ServerProcessMeter.of(target.name(), target.config());
        ServerProcessMeter.Reading serverAtStart = server.read();
        long start = System.nanoTime();
        long[] gcAtStart = gcTotals();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qb-memory-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            MemorySample sample = sample(backend, start, gcAtStart, ledger,
                    ServerProcessMeter.between(serverAtStart, server.read()));
            synchronized (samples) {
                samples.add(sample);
            }
        }, 0, 1, TimeUnit.SECONDS);
        CaseOutcome run;
        try {
            run = LatencySuite.openLoop(target, rate, duration, workers, 1, phase, ledger);
        } finally {
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<MemorySample> taken;
        synchronized (samples) {
            taken = List.copyOf(samples);
        }
        ServerUse serverUse = ServerProcessMeter.between(serverAtStart, server.read());
        Memory memory = summarize(taken, serverUse.reason() == null ? serverUse.covers() : null, serverUse.reason());
        Map<String, Object> details = new LinkedHashMap<>(run.details());
        details.put("leak_rule", LEAK_RULE);
        details.put("gc_note", "gc_count and gc_pause_ms include the sampler's own System.gc() once a second");
        return new CaseOutcome(run.durationMs(), run.throughput(), run.verdict(), run.latency(), run.conflicts(),
                run.claims(), run.lockErrors(), run.errors(), run.firstError(), run.operations(), details, memory,
                run.clientCost(), null);
    }

    /**
     * Peaks, growth and the leak verdict of a series of samples; {@code serverCovers} says which server processes
     * the samples read, {@code serverReason} why they read none (one of them is null).
     */
    static Memory summarize(List<MemorySample> samples, String serverCovers, String serverReason) {
        long heapPeak = samples.stream().mapToLong(MemorySample::heapBytes).max().orElse(0);
        long rssPeak = samples.stream().mapToLong(MemorySample::rssBytes).max().orElse(0);
        int threadsPeak = samples.stream().mapToInt(MemorySample::threads).max().orElse(0);
        MemorySample last = samples.isEmpty() ? null : samples.getLast();
        List<MemorySample> steady = samples.subList(samples.size() / 5, samples.size());
        double slope = slopePerMinute(steady, MemorySample::heapLessLedgerBytes);
        double meanHeap = steady.stream().mapToLong(MemorySample::heapBytes).average().orElse(0);
        List<MemorySample> withLedger = steady.stream().filter(s -> s.ledgerBytes() != null).toList();
        Double ledgerSlope = withLedger.isEmpty() ? null : slopePerMinute(withLedger, MemorySample::ledgerBytes);
        List<MemorySample> withServer = steady.stream().filter(s -> s.serverRssBytes() != null).toList();
        Double serverSlope = withServer.size() < 2 ? null : slopePerMinute(withServer, MemorySample::serverRssBytes);
        String verdict;
        if (samples.size() < MIN_SAMPLES) {
            verdict = "inconclusive: " + samples.size() + " samples, the rule needs " + MIN_SAMPLES;
        } else if (slope > MIN_LEAK_SLOPE && slope > 0.05 * meanHeap) {
            verdict = String.format(Locale.ROOT, "leak suspected: heap after GC grows %.1f MiB/min", slope / (1 << 20));
        } else {
            verdict = String.format(Locale.ROOT, "no leak: heap after GC grows %.2f MiB/min", slope / (1 << 20));
        }
        if (serverSlope != null) {
            verdict += String.format(Locale.ROOT, "; server RSS grows %.2f MiB/min (%s)", serverSlope / (1 << 20),
                    serverCovers);
        }
        return new Memory(heapPeak, Math.round(slope), rssPeak, last == null ? 0 : last.gcCount(),
                last == null ? 0 : last.gcPauseMs(), threadsPeak, verdict, samples,
                ledgerSlope == null ? null : (double) Math.round(ledgerSlope),
                serverSlope == null ? null : (double) Math.round(serverSlope),
                serverSlope == null ? null : serverCovers, serverSlope == null ? serverReason : null);
    }

    /** Least-squares slope of {@code figure} against time, in units per minute; 0 with fewer than two samples. */
    static double slopePerMinute(List<MemorySample> samples, ToDoubleFunction<MemorySample> figure) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double meanT = samples.stream().mapToDouble(s -> s.tMs() / 60_000.0).average().orElse(0);
        double meanH = samples.stream().mapToDouble(figure).average().orElse(0);
        double num = 0;
        double den = 0;
        for (MemorySample s : samples) {
            double dt = s.tMs() / 60_000.0 - meanT;
            num += dt * (figure.applyAsDouble(s) - meanH);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }

    private static MemorySample sample(QueueBackend backend, long start, long[] gcAtStart, Ledger ledger,
            ServerUse server) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long[] gc = gcTotals();
        Map<String, Long> footprint;
        try {
            footprint = backend.footprint().figures();
        } catch (RuntimeException e) {
            footprint = Map.of();
        }
        return new MemorySample((System.nanoTime() - start) / 1_000_000, heap, rss(),
                ManagementFactory.getThreadMXBean().getThreadCount(), gc[0] - gcAtStart[0], gc[1] - gcAtStart[1],
                footprint, ledger.retiredBytes(), server.rssBytes(),
                server.cpuMs() == null ? null : Math.round(server.cpuMs() * 10) / 10.0);
    }

    /** Collections and their total time in ms, over every collector. */
    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Resident set size from {@code /proc/self/status} (VmRSS), or 0 where there is no such file. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
