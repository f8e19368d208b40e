package dev.queuebench.suite;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.suite.ResultRecord.TargetResult;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs a whole benchmark: opens every requested backend first (so an unreachable one fails before any case), runs
 * each suite against each backend, closes the backends in reverse order, checks the targets, writes the run folder
 * and returns the exit status: 0 when every case ran and nothing was lost; 1 when a job was lost or a case could
 * not run, or with {@code strict} when a target was missed.
 */
public final class BenchmarkRunner {
    private final RunOptions options;
    private final PrintStream err;
    private final Map<String, Map<String, String>> configuration = new TreeMap<>();
    private final String stamp;
    private final Instant started;

    public BenchmarkRunner(RunOptions options, PrintStream err) {
        this.options = options;
        this.err = err;
        this.started = Instant.now();
        this.stamp = ReportWriter.STAMP.format(started);
    }

    /** Runs every suite against every backend and writes the run folder; returns the exit status. */
    public int run() {
        Targets targets = Targets.load(options.targetsFile());
        Optional<RunReport> baseline = options.baseline().map(ReportWriter::readRun);
        List<BackendUnderTest> opened = new ArrayList<>();
        Map<String, Map<String, String>> servers = new TreeMap<>();
        List<ResultRecord> records = new ArrayList<>();
        int suiteFailures = 0;
        try (Progress progress = Progress.toStdout(err)) {
            try {
                for (String name : options.backends()) {
                    BackendUnderTest target = open(name, options.strategy(), progress);
                    opened.add(target);
                    servers.put(name, new TreeMap<>(target.backend().serverInfo()));
                }
            } catch (QueueException e) {
                closeInReverse(opened);
                report("cannot open a backend", e);
                return 1;
            }
            progress.println("QueueBench " + options.scenario().label() + ": backends " + options.backends()
                    + ", suites " + options.suites() + "; run " + stamp);
            try {
                for (BackendUnderTest target : opened) {
                    for (String suite : options.suites()) {
                        try {
                            records.addAll(runSuite(suite, target, progress));
                        } catch (RuntimeException e) {
                            suiteFailures++;
                            report("the " + suite + " suite could not run on " + target.name(), e);
                        }
                    }
                }
            } finally {
                closeInReverse(opened);
            }
        }
        List<ResultRecord> evaluated = targets.evaluate(records);
        int exitStatus = exitStatus(evaluated, suiteFailures);
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, stamp, started.toString(),
                Instant.now().toString(), options.scenario().label(), options.reproduceCommand(),
                ReportWriter.environment(options.virtualThreads(), servers), configuration, targets, exitStatus,
                evaluated);
        Path folder;
        try {
            folder = ReportWriter.write(report, options.resultsDir(), stamp, options.suites(), baseline);
        } catch (UncheckedIOException e) {
            err.println("queuebench: " + e.getMessage() + ": " + e.getCause().getMessage());
            return 1;
        }
        summarize(evaluated, folder, exitStatus);
        return exitStatus;
    }

    private List<ResultRecord> runSuite(String suite, BackendUnderTest target, Progress progress) {
        return switch (suite) {
            case ThroughputSuite.NAME -> new ThroughputSuite().run(target);
            case LatencySuite.NAME -> new LatencySuite().run(target);
            case ConcurrencySuite.NAME -> new ConcurrencySuite(s -> open(target.name(), Optional.of(s), progress))
                    .run(target, options.strategy().map(List::of)
                            .orElse(QueueBackends.provider(target.name()).strategies()));
            case StressSuite.NAME -> new StressSuite().run(target);
            case MemorySuite.NAME -> new MemorySuite().run(target);
            default -> throw new IllegalArgumentException("no suite named " + suite);
        };
    }

    /**
     * Opens one backend recording to a fresh composite registry. SQLite gets a new file under
     * {@code target/queuebench-sqlite/} unless {@code sqlite.path} names one; retries back off 10 ms to 200 ms so the
     * failing-handler case drains in seconds.
     */
    BackendUnderTest open(String name, Optional<String> strategy, Progress progress) {
        QueueBackendProvider provider = QueueBackends.provider(name);
        List<String> keys = provider.configKeys().stream().map(ConfigKey::name).toList();
        Map<String, String> values = new TreeMap<>(options.backendValues(name));
        if (keys.contains("path") && !values.containsKey("path")) {
            Path file = Path.of("target", "queuebench-" + name, stamp + ".db");
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file.getParent().toAbsolutePath(), e);
            }
            values.put("path", file.toString());
        }
        if (keys.contains(Backoff.BASE_KEY) && keys.contains(Backoff.MAX_KEY)) {
            values.put(Backoff.BASE_KEY, "10ms");
            values.put(Backoff.MAX_KEY, "200ms");
        }
        strategy.ifPresent(s -> values.put(QueueBackends.STRATEGY_KEY, s));
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        BackendConfig config = BackendConfig.of(values).withMeterRegistry(registry);
        QueueBackend backend = QueueBackends.open(name, config);
        configuration.put(name + "/" + backend.strategy(), config.redacted());
        return new BackendUnderTest(backend, registry, options, progress);
    }

    /** One line naming what failed and why; the stack trace only with {@code verbose}. */
    private void report(String what, RuntimeException e) {
        err.println("queuebench: " + what + ": " + e.getMessage());
        if (options.verbose()) {
            e.printStackTrace(err);
        }
    }

    private int exitStatus(List<ResultRecord> records, int suiteFailures) {
        boolean lost = records.stream().anyMatch(r -> r.jobsLost() > 0);
        boolean couldNotRun = suiteFailures > 0
                || records.stream().anyMatch(r -> r.details().containsKey(BackendUnderTest.COULD_NOT_RUN));
        boolean missed = records.stream().flatMap(r -> r.targets().stream()).anyMatch(t -> !t.pass());
        return lost || couldNotRun || (options.strict() && missed) ? 1 : 0;
    }

    private void summarize(List<ResultRecord> records, Path folder, int exitStatus) {
        long lost = records.stream().mapToLong(ResultRecord::jobsLost).sum();
        long duplicated = records.stream().mapToLong(ResultRecord::jobsDuplicated).sum();
        List<String> missed = new ArrayList<>();
        for (ResultRecord r : records) {
            for (TargetResult t : r.targets()) {
                if (!t.pass()) {
                    missed.add(r.backend() + "/" + r.strategy() + " " + r.caseName() + " W=" + r.workers() + ": "
                            + t.metric() + " " + t.actual() + " (target " + t.op() + " " + t.value() + ")");
                }
            }
        }
        System.out.println();
        System.out.println("Results: " + folder.toAbsolutePath());
        System.out.println(records.size() + " cases, " + lost + " jobs lost, " + duplicated + " duplicated, "
                + missed.size() + " target(s) missed" + (options.strict() ? " (strict)" : ""));
        missed.forEach(m -> System.out.println("  missed " + m));
        for (ResultRecord r : records) {
            if (r.jobsLost() > 0) {
                BackendUnderTest.lossBanner(r).forEach(line -> err.println("!!! " + line));
            }
        }
        System.out.println("exit status " + exitStatus);
    }

    private static void closeInReverse(List<BackendUnderTest> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).backend().close();
        }
    }
}
