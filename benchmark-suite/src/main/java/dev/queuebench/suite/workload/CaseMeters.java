package dev.queuebench.suite.workload;

import dev.queuebench.api.QueueMetrics;
import dev.queuebench.suite.report.ResultRecord.OpLatency;
import dev.queuebench.suite.workers.LatencyStages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The backend's meters during one case. The backend records into a {@link CompositeMeterRegistry}; for the case a
 * fresh {@link SimpleMeterRegistry} joins it, so every count read here is exactly the case's own (no before/after
 * deltas). A {@link MeterFilter} on that registry merges the {@code queue} tag away and gives the
 * {@code queuebench.op} timers client-side percentiles over the whole case (one window that does not expire).
 */
public final class CaseMeters implements AutoCloseable {
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
    /** The percentiles of {@link QueueMetrics#CLAIM_STATEMENT}, those of a latency stage. */
    private static final double[] STAGE_PERCENTILES = {0.5, 0.9, 0.99};

    private final CompositeMeterRegistry composite;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Joins {@code composite} until {@link #close()}. */
    public CaseMeters(CompositeMeterRegistry composite) {
        this.composite = composite;
        registry.config()
                .meterFilter(MeterFilter.ignoreTags(QueueMetrics.TAG_QUEUE))
                .meterFilter(new MeterFilter() {
                    @Override
                    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                        boolean op = id.getName().equals(QueueMetrics.OP);
                        if (!op && !id.getName().equals(QueueMetrics.CLAIM_STATEMENT)) {
                            return config;
                        }
                        return DistributionStatisticConfig.builder()
                                .percentiles(op ? PERCENTILES : STAGE_PERCENTILES)
                                .percentilePrecision(2)
                                .expiry(Duration.ofDays(1))
                                .bufferLength(1)
                                .build()
                                .merge(config);
                    }
                });
        composite.add(registry);
    }

    /** {@code queuebench.claim.conflicts} during the case. */
    public long claimConflicts() {
        return count(QueueMetrics.CLAIM_CONFLICTS);
    }

    /** {@code queuebench.lock.errors} during the case. */
    public long lockErrors() {
        return count(QueueMetrics.LOCK_ERRORS);
    }

    /** Claim calls during the case (the {@code claim} timer's count). */
    public long claims() {
        Timer timer = registry.find(QueueMetrics.OP).tag(QueueMetrics.TAG_OP, QueueMetrics.Op.CLAIM.tag()).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Per-operation latency of every operation the backend timed during the case, in milliseconds. */
    public Map<String, OpLatency> operations() {
        Map<String, OpLatency> ops = new LinkedHashMap<>();
        for (QueueMetrics.Op op : QueueMetrics.Op.values()) {
            Timer timer = registry.find(QueueMetrics.OP).tag(QueueMetrics.TAG_OP, op.tag()).timer();
            if (timer != null && timer.count() > 0) {
                HistogramSnapshot snapshot = timer.takeSnapshot();
                double[] p = percentiles(snapshot, PERCENTILES);
                ops.put(op.tag(), new OpLatency(snapshot.count(), p[0], p[1], p[2],
                        round(snapshot.max(TimeUnit.MILLISECONDS)), round(snapshot.mean(TimeUnit.MILLISECONDS))));
            }
        }
        return ops;
    }

    /**
     * The backend's {@link QueueMetrics#CLAIM_STATEMENT} timer during the case, as {@link LatencyStages#figures}
     * writes a stage (one value per claim call that leased jobs, not per job); empty when the backend records none.
     */
    public Optional<Map<String, Object>> claimStatement() {
        Timer timer = registry.find(QueueMetrics.CLAIM_STATEMENT).timer();
        if (timer == null || timer.count() == 0) {
            return Optional.empty();
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        double[] p = percentiles(snapshot, STAGE_PERCENTILES);
        return Optional.of(LatencyStages.figures(snapshot.count(), p[0], p[1], p[2],
                round(snapshot.max(TimeUnit.MILLISECONDS))));
    }

    @Override
    public void close() {
        composite.remove(registry);
        registry.close();
    }

    /** The snapshot's values at {@code levels}, in ms, in their order. */
    private static double[] percentiles(HistogramSnapshot snapshot, double[] levels) {
        double[] p = new double[levels.length];
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            for (int i = 0; i < levels.length; i++) {
                if (v.percentile() == levels[i]) {
                    p[i] = round(v.value(TimeUnit.MILLISECONDS));
                }
            }
        }
        return p;
    }

    private long count(String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
