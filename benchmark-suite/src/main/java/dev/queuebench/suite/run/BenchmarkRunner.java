package dev.queuebench.suite.run;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Backoff;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.suite.cost.CaseRecording;
import dev.queuebench.suite.lab.Lab;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.Comparison;
import dev.queuebench.suite.report.ReportWriter;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.RunReport;
import dev.queuebench.suite.report.Targets;
import dev.queuebench.suite.workers.WorkerProcesses;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Runs a whole benchmark: opens every requested backend with each of its strategies first (so an unreachable one
 * fails before any case), runs each suite's cases interleaved across them, closes them in reverse order, checks the
 * targets, compares with the baseline, writes the run folder and returns the exit status: 0 when every case ran and
 * nothing was lost; 1 when a job was lost or a case could not run, or with {@code strict} when a target was missed
 * or a figure regressed against the baseline.
 */
public final class BenchmarkRunner {
    private final RunOptions options;
    private final PrintStream err;
    private final Map<String, Map<String, String>> configuration = new TreeMap<>();
    private final Map<String, RunReport.Declared> capabilities = new TreeMap<>();
    private final String stamp;
    private final String queueTag = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    private final Instant started;
    /** The lab whose round trip the network scenario sets before each round of cases, or null. */
    private final Lab network;

    public BenchmarkRunner(RunOptions options, PrintStream err) {
        this(options, err, null);
    }

    /**
     * A runner that, with a {@code network} lab, runs every case once per round trip of the scenario's
     * {@link Scenario#roundTripsMicros()}, setting the lab to it first.
     */
    public BenchmarkRunner(RunOptions options, PrintStream err, Lab network) {
        this.options = options;
        this.err = err;
        this.network = network;
        this.started = Instant.now();
        this.stamp = ReportWriter.STAMP.format(started);
    }

    /**
     * Runs every suite against every backend and strategy, interleaved case by case (each case runs on every
     * target before the next case starts, so drift of the machine hits them alike), and writes the run folder;
     * returns the exit status.
     */
    public int run() {
        Targets targets = Targets.load(options.targetsFile());
        Optional<RunReport> baseline = options.baseline().map(ReportWriter::readRun);
        List<BackendUnderTest> opened = new ArrayList<>();
        Map<String, Map<String, String>> servers = new TreeMap<>();
        List<ResultRecord> records = new ArrayList<>();
        int caseFailures = 0;
        try (Progress progress = Progress.toStdout(err)) {
            try {
                options.agents().forEach(WorkerProcesses::reachAgent);
            } catch (IllegalStateException e) {
                report("cannot reach an agent", e);
                return 1;
            }
            try {
                for (String name : options.backends()) {
                    for (String strategy : strategies(name)) {
                        BackendUnderTest target = open(name, strategy, progress);
                        opened.add(target);
                        servers.put(name, new TreeMap<>(target.backend().serverInfo()));
                    }
                }
            } catch (QueueException e) {
                closeInReverse(opened);
                report("cannot open a backend", e);
                return 1;
            }
            progress.println("QueueBench " + options.scenario().label() + ": "
                    + opened.stream().map(t -> t.name() + "/" + t.strategy()).toList() + ", suites "
                    + options.suites() + "; run " + stamp);
            try {
                caseFailures = network == null ? runInterleaved(opened, records, r -> r)
                        : runAtEachRoundTrip(opened, records, progress);
            } finally {
                closeInReverse(opened);
            }
        }
        List<ResultRecord> evaluated = targets.evaluate(records);
        Optional<Comparison> comparison = baseline.map(b -> Comparison.of(b, evaluated, options.regressionThreshold()));
        int exitStatus = exitStatus(evaluated, caseFailures, comparison);
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, stamp, started.toString(),
                Instant.now().toString(), options.scenario().label(), options.reproduceCommand(),
                ReportWriter.environment(options.virtualThreads(), servers), configuration, capabilities, targets,
                exitStatus, comparison.orElse(null), evaluated);
        Path folder;
        try {
            folder = ReportWriter.write(report, options.resultsDir(), stamp, options.suites());
        } catch (UncheckedIOException e) {
            err.println("queuebench: " + e.getMessage() + ": " + e.getCause().getMessage());
            return 1;
        }
        if (!opened.isEmpty()) {
            CaseRecording.moveAll(opened.getFirst().profiles(), folder.resolve(BackendUnderTest.PROFILES));
        }
        summarize(evaluated, comparison, folder, exitStatus);
        return exitStatus;
    }

    /**
     * Sets the lab to each of the scenario's round trips in turn and runs every suite's cases at it, interleaved,
     * each record stamped with the round trip ({@link #atRoundTrip}); a round trip the lab cannot set ends the run's
     * cases and counts as one failure. Returns how many cases (or round trips) failed.
     */
    private int runAtEachRoundTrip(List<BackendUnderTest> opened, List<ResultRecord> records, Progress progress) {
        int failures = 0;
        for (long micros : options.scenario().roundTripsMicros()) {
            List<Lab.Host> hosts;
            try {
                hosts = network.roundTrip(micros);
            } catch (UncheckedIOException e) {
                report("the network scenario stops", e);
                return failures + 1;
            }
            hosts.forEach(h -> progress.println("network: " + h.describe()));
            failures += runInterleaved(opened, records, r -> atRoundTrip(r, hosts));
        }
        return failures;
    }

    /**
     * {@code record} as run at the round trip of {@code hosts}: its case named with the set round trip (e.g.
     * {@code drain_noop_batched_rtt_0.5ms}), so the cases at each round trip are distinct records, and in its
     * details {@code rtt_set_ms}, {@code rtt_measured_ms} (the mean over the hosts) and {@code rtt_hosts}.
     */
    static ResultRecord atRoundTrip(ResultRecord record, List<Lab.Host> hosts) {
        double set = hosts.getFirst().setRttMillis();
        double measured = hosts.stream().mapToDouble(Lab.Host::measuredRttMillis).average().orElse(0);
        Map<String, Object> details = new LinkedHashMap<>(record.details());
        details.put(ResultRecord.RTT_SET_MS, set);
        details.put(ResultRecord.RTT_MEASURED_MS, Math.round(measured * 1000) / 1000.0);
        details.put("rtt_hosts", hosts.stream().map(h -> String.format(Locale.ROOT, "%s: set %.3f ms, measured %.3f"
                + " ms (%s)", h.namespace(), h.setRttMillis(), h.measuredRttMillis(), h.delayedBy())).toList());
        return record.renamed(record.id().caseName() + "_rtt_" + ResultRecord.millisLabel(set) + "ms", details);
    }

    /**
     * Runs each suite's cases round by round: case i on every target, then case i + 1, so that drift of the machine
     * hits every target alike, each record passed through {@code stamp}. A case that throws is reported and counted;
     * returns how many did.
     */
    private int runInterleaved(List<BackendUnderTest> opened, List<ResultRecord> records,
            UnaryOperator<ResultRecord> stamp) {
        int failures = 0;
        for (String suite : options.suites()) {
            List<List<Supplier<ResultRecord>>> plans = opened.stream().map(t -> Suites.named(suite).cases(t)).toList();
            int rounds = plans.stream().mapToInt(List::size).max().orElse(0);
            for (int round = 0; round < rounds; round++) {
                for (int t = 0; t < opened.size(); t++) {
                    if (round >= plans.get(t).size()) {
                        continue;
                    }
                    try {
                        records.add(stamp.apply(plans.get(t).get(round).get()));
                    } catch (RuntimeException e) {
                        failures++;
                        report("a " + suite + " case could not run on " + opened.get(t).name() + "/"
                                + opened.get(t).strategy(), e);
                    }
                }
            }
        }
        return failures;
    }

    /** Every strategy the backend declares, or {@code -Dstrategy} alone. */
    private List<String> strategies(String backend) {
        return options.strategy().map(List::of).orElse(QueueBackends.provider(backend).strategies());
    }

    /**
     * Opens one backend with one strategy, recording to a fresh composite registry. SQLite gets a new file per
     * strategy under {@code target/queuebench-sqlite/} unless {@code sqlite.path} names one; retries back off 10 ms
     * to 200 ms so the failing-handler case drains in seconds.
     */
    BackendUnderTest open(String name, String strategy, Progress progress) {
        QueueBackendProvider provider = QueueBackends.provider(name);
        List<String> keys = provider.configKeys().stream().map(ConfigKey::name).toList();
        Map<String, String> values = new TreeMap<>(options.backendValues(name));
        if (keys.contains("path") && !values.containsKey("path")) {
            Path file = Path.of("target", "queuebench-" + name, stamp + "_" + strategy + ".db");
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file.getParent().toAbsolutePath(), e);
            }
            values.put("path", file.toString());
        }
        if (keys.contains(Backoff.BASE.name()) && keys.contains(Backoff.MAX.name())) {
            values.put(Backoff.BASE.name(), "10ms");
            values.put(Backoff.MAX.name(), "200ms");
        }
        values.put(QueueBackends.STRATEGY_KEY, strategy);
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        BackendConfig config = BackendConfig.of(values).withMeterRegistry(registry);
        QueueBackend backend = QueueBackends.open(name, config);
        configuration.put(name + "/" + backend.strategy(), QueueBackends.redacted(provider, config));
        capabilities.put(name + "/" + backend.strategy(), RunReport.Declared.of(backend.capabilities()));
        return new BackendUnderTest(backend, registry, options, progress, queueTag, config);
    }

    /** One line naming what failed and why; the stack trace only with {@code verbose}. */
    private void report(String what, RuntimeException e) {
        err.println("queuebench: " + what + ": " + e.getMessage());
        if (options.verbose()) {
            e.printStackTrace(err);
        }
    }

    private int exitStatus(List<ResultRecord> records, int caseFailures, Optional<Comparison> comparison) {
        boolean lost = records.stream().anyMatch(r -> r.jobs().lost() > 0 && !r.status().lossExpected());
        boolean violated = records.stream()
                .anyMatch(r -> r.status() instanceof CaseStatus.Ran ran && ran.violation() != null);
        boolean couldNotRun = caseFailures > 0
                || records.stream().anyMatch(r -> r.status() instanceof CaseStatus.CouldNotRun);
        boolean missed = records.stream().flatMap(r -> r.targets().stream()).anyMatch(t -> !t.pass());
        boolean regressed = comparison.isPresent() && comparison.get().hasRegression();
        return lost || violated || couldNotRun || (options.strict() && (missed || regressed)) ? 1 : 0;
    }

    private void summarize(List<ResultRecord> records, Optional<Comparison> comparison, Path folder, int exitStatus) {
        long lost = records.stream().filter(r -> !r.status().lossExpected()).mapToLong(r -> r.jobs().lost()).sum();
        long expected = records.stream().filter(r -> r.status().lossExpected()).mapToLong(r -> r.jobs().lost())
                .sum();
        long duplicated = records.stream().mapToLong(r -> r.jobs().duplicated()).sum();
        List<String> missed = new ArrayList<>();
        for (ResultRecord r : records) {
            for (TargetResult t : r.targets()) {
                if (!t.pass()) {
                    missed.add(r.id().target() + " " + r.id().caseName() + " W=" + r.setup().workers() + ": "
                            + t.metric() + " " + t.actual() + " (target " + t.op() + " " + t.value() + ")");
                }
            }
        }
        System.out.println();
        System.out.println("Results: " + folder.toAbsolutePath());
        System.out.println(records.size() + " cases, " + lost + " jobs lost"
                + (expected > 0 ? " (and " + expected + " lost as the backend's declared durability allows)" : "")
                + ", " + duplicated + " duplicated, "
                + missed.size() + " target(s) missed" + (options.strict() ? " (strict)" : ""));
        missed.forEach(m -> System.out.println("  missed " + m));
        comparison.ifPresent(c -> {
            List<Comparison.Change> regressions = c.changes().stream()
                    .filter(ch -> ch.verdict() == Comparison.Verdict.REGRESSION).toList();
            System.out.println("against baseline " + c.baselineRunId() + ": " + c.changes().size() + " figures, "
                    + regressions.size() + " regression(s)" + (options.strict() ? " (strict)" : ""));
            regressions.forEach(ch -> System.out.printf(Locale.ROOT,
                    "  regression %s/%s %s W=%d batch=%d: %s %,.1f -> %,.1f (x%.2f)%n",
                    ch.backend(), ch.strategy(), ch.caseName(), ch.workers(), ch.batch(), ch.metric(), ch.baseline(),
                    ch.now(), ch.ratio()));
        });
        for (ResultRecord r : records) {
            if (r.jobs().lost() > 0 && !r.status().lossExpected()) {
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
