package dev.queuebench.suite.run;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.cost.CaseRecording;
import dev.queuebench.suite.cost.ServerProcessMeter;
import dev.queuebench.suite.cost.ServerUse;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.Profile;
import dev.queuebench.suite.report.ResultRecord.CaseId;
import dev.queuebench.suite.report.ResultRecord.Contention;
import dev.queuebench.suite.report.ResultRecord.JobCounts;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord.Repetition;
import dev.queuebench.suite.report.ResultRecord.Setup;
import dev.queuebench.suite.report.ResultRecord.Throughput;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.workers.ThreadCosts;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One opened backend (one strategy) and what every suite needs to run cases against it: the registry the backend
 * records to, the run's options, the progress line and the run's queue tag. {@link #runCase} repeats a case, folds
 * the repetitions into a {@link ResultRecord}, prints it, and shouts when a job was lost.
 *
 * @param queueTag appended to every queue name of the run, so two runs against one server never purge or drain
 *                 each other's jobs
 * @param config   what the backend was opened with (its {@code toString} redacts secrets): worker processes open
 *                 the same backend from it
 */
public record BackendUnderTest(QueueBackend backend, CompositeMeterRegistry registry, RunOptions options,
        Progress progress, String queueTag, BackendConfig config) {

    /** A case's identity and the options that rerun it alone. */
    public record CaseSpec(Suite suite, String name, int workers, int batch, String task,
            Map<String, String> parameters) {}

    /**
     * Keys in {@link ResultRecord#details()}: how many completed jobs are {@link Ledger.Fate#COMPLETED_UNCONFIRMED}
     * (in every chaos record, elsewhere when any), and with {@code _jobs} each of them with its evidence;
     * {@code lost_jobs}: up to ten lost jobs with what the ledger knows of them.
     */
    public static final String COMPLETED_UNCONFIRMED = "completed_unconfirmed";
    /** The run folder's sub-folder of {@code .jfr} profiles ({@code -Dprofile=true}). */
    public static final String PROFILES = "profiles";

    public String name() {
        return backend.name();
    }

    public String strategy() {
        return backend.strategy();
    }

    /** The run's own name for a queue: {@code base} plus the run's tag. */
    public String queue(String base) {
        return base + "_" + queueTag;
    }

    /** The same backend opened again with {@code overrides} laid over its configuration, recording afresh. */
    public BackendUnderTest reopened(Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>(config.values());
        values.putAll(overrides);
        CompositeMeterRegistry fresh = new CompositeMeterRegistry();
        BackendConfig reconfigured = BackendConfig.of(values).withMeterRegistry(fresh);
        return new BackendUnderTest(QueueBackends.open(name(), reconfigured), fresh, options, progress, queueTag,
                reconfigured);
    }

    /**
     * Runs {@code body} {@code repeats} times and reports the median repetition (in the suite's
     * {@link Suite#medianOrder()}) with min and max throughput. A repetition that throws ends the case: it is
     * reported as {@link CaseStatus.CouldNotRun}.
     */
    public ResultRecord runCase(CaseSpec spec, int repeats, Supplier<CaseOutcome> body) {
        return runCase(spec, repeats, () -> {}, body);
    }

    /** {@link #runCase(CaseSpec, int, Supplier)} with an unmeasured {@code warmUp} run once before the repetitions. */
    public ResultRecord runCase(CaseSpec spec, int repeats, Runnable warmUp, Supplier<CaseOutcome> body) {
        List<CaseOutcome> outcomes = new ArrayList<>();
        String failure = null;
        String profileName = profileName(spec);
        CaseRecording recording = null;
        Profile profile = null;
        ServerProcessMeter server = ServerProcessMeter.of(name(), config);
        for (int i = 0; i <= repeats && failure == null; i++) {
            try {
                if (i == 0) {
                    warmUp.run();
                    recording = options.profile() ? CaseRecording.start(profiles().resolve(profileName)) : null;
                } else {
                    ServerProcessMeter.Reading before = server.read();
                    CaseOutcome outcome = body.get();
                    outcomes.add(outcome.clientCost() == null ? outcome
                            : outcome.withServerUse(ServerProcessMeter.between(before, server.read())));
                }
            } catch (RuntimeException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (options.verbose()) {
                    e.printStackTrace(); // the run's error stream is not at hand here; verbose runs are interactive
                }
            } finally {
                progress.end();
            }
        }
        if (recording != null) {
            try (CaseRecording stopping = recording) {
                profile = stopping.stop(PROFILES + "/" + profileName);
            } catch (RuntimeException e) {
                failure = failure != null ? failure : "the profile failed: " + e.getMessage();
            }
        }
        ResultRecord record = fold(spec, outcomes, failure, profile);
        progress.println(line(record));
        if (record.jobs().lost() > 0 && !record.status().lossExpected()) {
            progress.alarm(lossBanner(record));
        }
        return record;
    }

    /**
     * Where this run's profiles wait until the run folder is written ({@link #PROFILES} in it then holds them): one
     * folder per run, named by its queue tag.
     */
    public Path profiles() {
        return Path.of("target", "queuebench-profiles", queueTag);
    }

    /** The profile file of a case: backend, strategy, suite, case and workers, in characters any file system takes. */
    private String profileName(CaseSpec spec) {
        return (name() + "_" + strategy() + "_" + spec.suite().name() + "_" + spec.name() + "_W" + spec.workers())
                .replaceAll("[^A-Za-z0-9_.-]", "_") + ".jfr";
    }

    private ResultRecord fold(CaseSpec spec, List<CaseOutcome> outcomes, String failure, Profile profile) {
        List<CaseOutcome> sorted = new ArrayList<>(outcomes);
        sorted.sort(spec.suite().medianOrder());
        CaseOutcome median = sorted.isEmpty() ? null : sorted.get(sorted.size() / 2);
        long lost = outcomes.stream().mapToLong(o -> o.verdict().lost()).sum();
        long duplicated = outcomes.stream().mapToLong(o -> o.verdict().duplicated()).sum();
        List<String> lostSample = outcomes.stream().flatMap(o -> o.verdict().lostSample().stream()).limit(10).toList();
        Map<String, Object> details = new LinkedHashMap<>(median == null ? Map.of() : median.details());
        if (median != null && median.firstError() != null) {
            details.put("first_error", median.firstError());
        }
        if (failure != null) {
            new CaseStatus.CouldNotRun(failure).writeTo(details, false);
        }
        if (profile != null) {
            details.put(Profile.DETAIL, profile);
        }
        List<Ledger.JobFate> unconfirmed = outcomes.stream().flatMap(o -> o.verdict().unconfirmed().stream()).toList();
        boolean ran = !(CaseStatus.of(details) instanceof CaseStatus.Skipped);
        if (!unconfirmed.isEmpty() || (ran && spec.suite().statesUnconfirmedAlways())) {
            details.put(COMPLETED_UNCONFIRMED, unconfirmed.size());
            details.put(COMPLETED_UNCONFIRMED + "_jobs", evidence(unconfirmed));
        }
        List<Ledger.JobFate> lostFates = outcomes.stream().flatMap(o -> o.verdict().lostFates().stream()).limit(10)
                .toList();
        if (!lostFates.isEmpty()) {
            details.put("lost_jobs", evidence(lostFates));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("backend", name());
        parameters.put("strategy", strategy());
        parameters.put("suite", spec.suite().name());
        parameters.put("scenario", options.scenario().label());
        parameters.putAll(new TreeMap<>(spec.parameters()));
        options.claimAhead().ifPresent(ahead -> parameters.put("claimAhead", ahead.toString()));
        String rerun = RunOptions.command(parameters);
        double throughput = median == null ? 0 : round(median.throughput());
        return new ResultRecord(
                new CaseId(name(), strategy(), spec.suite().name(), spec.name()),
                new Setup(spec.workers(), spec.batch(), spec.task()),
                new JobCounts(median == null ? 0 : median.verdict().enqueued(),
                        median == null ? 0 : median.verdict().completed(),
                        median == null ? 0 : median.verdict().dead(),
                        lost, duplicated),
                new Throughput(median == null ? 0 : median.durationMs(),
                        throughput,
                        round(outcomes.stream().mapToDouble(CaseOutcome::throughput).min().orElse(0)),
                        round(outcomes.stream().mapToDouble(CaseOutcome::throughput).max().orElse(0)),
                        outcomes.size(),
                        spec.workers() == 0 ? 0 : round(throughput / spec.workers())),
                median == null ? Latency.NONE : median.latency(),
                new Contention(median == null ? 0 : median.conflicts(),
                        median == null || median.claims() == 0 ? 0 : (double) median.conflicts() / median.claims(),
                        median == null ? 0 : median.lockErrors(),
                        (median == null ? 0 : median.errors()) + (failure == null ? 0 : 1)),
                median == null ? null : median.memory(),
                median == null ? null : costPer1kJobs(median),
                List.of(),
                median == null ? Map.of() : median.operations(),
                parameters, rerun, details, lostSample, outcomes.stream().map(BackendUnderTest::repetition).toList());
    }

    /** What 1,000 of the outcome's jobs cost; null where the case does not count it or no job ran. */
    private static ResultRecord.Cost costPer1kJobs(CaseOutcome o) {
        long jobs = o.verdict().enqueued();
        ThreadCosts.Totals client = o.clientCost();
        if (client == null || jobs == 0) {
            return null;
        }
        double per1k = 1000.0 / jobs;
        boolean counted = client.unmeasured() == null;
        ServerUse server = o.serverUse() == null ? ServerUse.unavailable("not read") : o.serverUse();
        return new ResultRecord.Cost(counted ? round(client.cpuNanos() / 1e6 * per1k) : null,
                counted ? Math.round(client.allocatedBytes() * per1k) : null, client.unmeasured(),
                server.cpuMs() == null ? null : round(server.cpuMs() * per1k), server.reason(), server.rssBytes(),
                server.covers());
    }

    /** Each job ({@code queue/id}) with the evidence for its fate, as written in the JSON. */
    private static List<Map<String, String>> evidence(List<Ledger.JobFate> fates) {
        return fates.stream().map(f -> {
            Map<String, String> job = new LinkedHashMap<>();
            job.put("job", f.job());
            job.put("evidence", f.evidence());
            return job;
        }).toList();
    }

    private static Repetition repetition(CaseOutcome o) {
        Ledger.Verdict v = o.verdict();
        return new Repetition(o.durationMs(), round(o.throughput()),
                new JobCounts(v.enqueued(), v.completed(), v.dead(), v.lost(), v.duplicated()),
                o.latency().withoutDistribution(), o.conflicts(), o.claims(), o.lockErrors(), o.errors());
    }

    /** The lines of the banner a loss is announced with. */
    static List<String> lossBanner(ResultRecord r) {
        return List.of(String.format(Locale.ROOT, "JOBS LOST: %d job(s) of %s/%s %s %s were never completed nor dead",
                        r.jobs().lost(), r.id().backend(), r.id().strategy(), r.id().suite(), r.id().caseName()),
                "lost ids (up to 10): " + r.lostSample());
    }

    private static String line(ResultRecord r) {
        String failed = r.status() instanceof CaseStatus.CouldNotRun c ? "  COULD NOT RUN: " + c.reason() : "";
        if (r.status() instanceof CaseStatus.Skipped s) {
            return r.id().target() + " " + r.id().suite() + " " + r.id().caseName() + ": skipped, " + s.reason();
        }
        if (r.setup().workers() == 0 && r.jobs().enqueued() == 0) { // a case that moves no jobs, e.g. a kit clause
            String verdict = r.status() instanceof CaseStatus.Ran ran && ran.violation() != null
                    ? "FAILED, " + ran.violation() : failed.isEmpty() ? "passed" : failed.strip();
            return String.format(Locale.ROOT, "%s %s %s: %s (%,d ms)", r.id().target(), r.id().suite(),
                    r.id().caseName(), verdict, r.throughput().durationMs());
        }
        return String.format(Locale.ROOT,
                "%s/%s %-11s %-28s W=%-2d batch=%-3d %,10.0f jobs/s (min %,.0f max %,.0f) p99 %.1f ms"
                        + "  lost %d dup %d%s",
                r.id().backend(), r.id().strategy(), r.id().suite(), r.id().caseName(), r.setup().workers(),
                r.setup().batch(), r.throughput().jobsPerSec(), r.throughput().min(), r.throughput().max(),
                r.latencyMs().p99(), r.jobs().lost(), r.jobs().duplicated(), failed);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
