package dev.queuebench.suite.run;

import dev.queuebench.suite.workers.Payload;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How big each suite's cases are. The whole table is here so a reader sees every size at once; options such as
 * {@code -Dworkers} or {@code -Djobs} override single values (see {@link RunOptions}).
 *
 * <p>Job counts for the {@code cpu} and {@code io} tasks are {@code throughputJobs / 10} and {@code / 50}: those tasks
 * take ~1 ms and 10 ms a job, so a drain stays about as long as the {@code noop} one.
 */
public enum Scenario {
    // first line:  throughput workers, jobs, repetitions; latency rates, seconds; concurrency workers
    // second line: concurrency jobs; stress burst, backlog, sparse, big jobs, failing jobs; memory seconds
    SMOKE(w(1, 4), 1_000, 1, w(100), 3, w(1, 8, 24),
            1_000, 2_000, 5_000, 5, 50, 500, 5),
    QUICK(w(1, 2, 4, 8, 16), 5_000, 1, w(100, 1_000), 8, w(1, 4, 8, 16, 32),
            5_000, 10_000, 20_000, 20, 200, 2_000, 20),
    DEFAULT(w(1, 2, 4, 8, 16), 10_000, 3, w(100, 1_000), 15, w(1, 2, 4, 8, 16, 32),
            10_000, 50_000, 100_000, 50, 500, 5_000, 60),
    FULL(w(1, 2, 4, 8, 16), 50_000, 3, w(100, 1_000, 5_000), 60, w(1, 2, 4, 8, 16, 32, 64),
            50_000, 200_000, 1_000_000, 200, 2_000, 20_000, 600),
    /** The network as a dimension: its cases run once per round trip of {@link #NETWORK_RTT_MICROS} (root, a lab). */
    NETWORK(w(4), 5_000, 1, w(200), 8, w(1, 4),
            5_000, 10_000, 20_000, 20, 200, 2_000, 20);

    /** The round trips, in microseconds, the network scenario runs every case at: 0, 0.5 ms and 2 ms. */
    public static final List<Long> NETWORK_RTT_MICROS = List.of(0L, 500L, 2_000L);
    /** Namespaces (one agent each) of the network scenario's lab unless {@code -Dlab=hosts=N} says otherwise. */
    public static final int NETWORK_HOSTS = 2;

    /** Queues in the sparse-queues stress case; each gets {@code sparseJobsPerQueue} jobs. */
    public static final int SPARSE_QUEUES = 100;
    /** Payload of the large-payload stress case. */
    public static final int LARGE_PAYLOAD_BYTES = 64 * 1024;
    /** Share of jobs that fail in the failing-handler stress case (half fail once, half always). */
    public static final double FAILING_SHARE = 0.10;
    /** Claim and acknowledgement batch of the batched path when {@code -Dbatch} does not say otherwise. */
    public static final int DEFAULT_BATCH = 16;
    /** Workers of the latency, stress and memory suites when {@code -Dworkers} does not say otherwise. */
    public static final int DEFAULT_WORKERS = 4;
    /** Payload of an ordinary job when {@code -DpayloadBytes} does not say otherwise. */
    public static final int DEFAULT_PAYLOAD_BYTES = 64;

    public final List<Integer> throughputWorkers;
    public final int throughputJobs;
    public final int repeats;
    public final List<Integer> latencyRates;
    public final int latencySeconds;
    public final List<Integer> concurrencyWorkers;
    public final int concurrencyJobs;
    public final int burstJobs;
    public final int backlogJobs;
    public final int sparseJobsPerQueue;
    public final int largePayloadJobs;
    public final int failingJobs;
    public final int memorySeconds;

    Scenario(List<Integer> throughputWorkers, int throughputJobs, int repeats, List<Integer> latencyRates,
            int latencySeconds, List<Integer> concurrencyWorkers, int concurrencyJobs, int burstJobs, int backlogJobs,
            int sparseJobsPerQueue, int largePayloadJobs, int failingJobs, int memorySeconds) {
        this.throughputWorkers = throughputWorkers;
        this.throughputJobs = throughputJobs;
        this.repeats = repeats;
        this.latencyRates = latencyRates;
        this.latencySeconds = latencySeconds;
        this.concurrencyWorkers = concurrencyWorkers;
        this.concurrencyJobs = concurrencyJobs;
        this.burstJobs = burstJobs;
        this.backlogJobs = backlogJobs;
        this.sparseJobsPerQueue = sparseJobsPerQueue;
        this.largePayloadJobs = largePayloadJobs;
        this.failingJobs = failingJobs;
        this.memorySeconds = memorySeconds;
    }

    /** The name users type, e.g. {@code smoke}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The round trips (microseconds) each case runs at, in order: the network scenario's; empty: the host's own. */
    public List<Long> roundTripsMicros() {
        return this == NETWORK ? NETWORK_RTT_MICROS : List.of();
    }

    /** Every scenario's name, for error messages and {@code list}. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Scenario::label).toList();
    }

    /** One line for {@code list}. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%-8s throughput W=%s %,d jobs ×%d; latency %s/s for %d s; concurrency W=%s; backlog %,d; memory %d s",
                label(), throughputWorkers, throughputJobs, repeats, latencyRates, latencySeconds, concurrencyWorkers,
                backlogJobs, memorySeconds) + (roundTripsMicros().isEmpty() ? "" : "; each case at RTT "
                + roundTripsMicros().stream().map(us -> us / 1e3 + "").toList() + " ms (a lab, root only)");
    }

    private static List<Integer> w(Integer... values) {
        return List.of(values);
    }
}
