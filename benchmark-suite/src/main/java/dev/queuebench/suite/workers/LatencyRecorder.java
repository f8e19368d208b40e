package dev.queuebench.suite.workers;

import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord.PercentilePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * Latency from a job's intended enqueue time to its handler's start, in an HdrHistogram (microsecond resolution,
 * three significant digits). Only jobs intended at or after {@code measureFromNanos} count, so a warm-up phase can
 * run through the same workers unrecorded. With {@link LatencyStages}, each handler start also goes to them.
 * Thread-safe: every worker records into it.
 */
public final class LatencyRecorder {
    /** Points of the percentile curve per halving of the distance to 100 % (HdrHistogram's percentile output). */
    private static final int TICKS_PER_HALF_DISTANCE = 4;
    private final Recorder recorder = new Recorder(3);
    private final boolean recordAll;
    private volatile long measureFromNanos;
    /** The first handler start recorded (measured or not), {@link Long#MIN_VALUE} before any. */
    private final AtomicLong firstStartNanos = new AtomicLong(Long.MIN_VALUE);
    private final Histogram total = new Histogram(3);
    private final LatencyStages stages;

    /** Records every job. */
    public LatencyRecorder() {
        this.recordAll = true;
        this.measureFromNanos = 0;
        this.stages = null;
    }

    /** Records jobs intended at or after {@code measureFromNanos} ({@link System#nanoTime()}). */
    public LatencyRecorder(long measureFromNanos) {
        this(measureFromNanos, null);
    }

    /** Records jobs intended at or after {@code measureFromNanos}, passing every handler start to {@code stages}. */
    public LatencyRecorder(long measureFromNanos, LatencyStages stages) {
        this.recordAll = false;
        this.measureFromNanos = measureFromNanos;
        this.stages = stages;
    }

    /**
     * From now on records only jobs intended at or after {@code nanos}: the warm-up starts when the consumers are
     * ready (on agents, once their JVMs are up), not when the recorder was made.
     */
    public void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    /** Records one handler start at {@code startNanos} for a job intended at {@code intendedNanos}. */
    public void record(long intendedNanos, long startNanos) {
        record(intendedNanos, LatencyStages.UNKNOWN, startNanos);
    }

    /**
     * Records one handler start at {@code startNanos} for a job intended at {@code intendedNanos} whose claim call
     * returned at {@code claimReturnedNanos} ({@link LatencyStages#UNKNOWN} if not known).
     */
    public void record(long intendedNanos, long claimReturnedNanos, long startNanos) {
        if (stages != null) {
            stages.started(intendedNanos, claimReturnedNanos, startNanos);
        }
        if (firstStartNanos.get() == Long.MIN_VALUE) {
            firstStartNanos.compareAndSet(Long.MIN_VALUE, startNanos);
        }
        if (recordAll || intendedNanos - measureFromNanos >= 0) {
            recorder.recordValue(TimeUnit.NANOSECONDS.toMicros(Math.max(0, startNanos - intendedNanos)));
        }
    }

    /** The {@link System#nanoTime()} of the first handler start recorded, if any was. */
    public OptionalLong firstStartNanos() {
        long first = firstStartNanos.get();
        return first == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(first);
    }

    /** The percentiles of everything recorded so far, in milliseconds, with the percentile curve. */
    public synchronized Latency summary() {
        total.add(recorder.getIntervalHistogram());
        return new Latency(
                ms(total.getValueAtPercentile(50)),
                ms(total.getValueAtPercentile(90)),
                ms(total.getValueAtPercentile(95)),
                ms(total.getValueAtPercentile(99)),
                ms(total.getValueAtPercentile(99.9)),
                ms(total.getMaxValue()),
                total.getTotalCount() == 0 ? 0 : Math.round(total.getMean()) / 1000.0,
                total.getTotalCount(),
                distribution());
    }

    /** The percentile curve up to the largest value (the last point, at 100 %); empty when nothing was recorded. */
    private List<PercentilePoint> distribution() {
        List<PercentilePoint> points = new ArrayList<>();
        if (total.getTotalCount() > 0) {
            for (HistogramIterationValue v : total.percentiles(TICKS_PER_HALF_DISTANCE)) {
                points.add(new PercentilePoint(v.getPercentileLevelIteratedTo(),
                        ms(v.getValueIteratedTo())));
            }
        }
        return points;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
