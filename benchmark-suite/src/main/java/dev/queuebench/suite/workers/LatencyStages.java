package dev.queuebench.suite.workers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Where each job of one open-loop run spent the time from its intended enqueue time to its handler's start, as the
 * harness measured it, in stages that add up per job:
 * <ul>
 *   <li>{@value #SCHEDULE_LAG}: intended time → the producer's enqueue call made (the producer behind its rate),</li>
 *   <li>{@value #ENQUEUE}: the producer's enqueue call, made → returned,</li>
 *   <li>{@value #TO_CLAIM}: enqueue returned → the claim call that returned the job returned (the consumer's wake-up
 *       and the claim statement),</li>
 *   <li>{@value #HANDLER_START}: that claim returned → the handler's start (the worker runtime's dispatch, and the
 *       job's wait behind the others of its batch),</li>
 *   <li>{@value #TOTAL}: intended time → the handler's start, the latency the suite reports.</li>
 * </ul>
 * Each stage's percentiles are of its own distribution: the p50s (or p99s) of the stages do not add up to the p50
 * (or p99) of the total, since the jobs slow in one stage are not the ones slow in another.
 *
 * <p>The times are kept in arrays indexed by the job's place in the producer's schedule, allocated when the
 * schedule starts, so recording allocates nothing. They are joined only in {@link #summary}, once producer and
 * consumers have stopped: a claim can return before the enqueue call that made its job has returned (the commit is
 * visible to the claimer before its answer reaches the producer), and then its {@value #TO_CLAIM} counts as 0 and in
 * {@value #CLAIM_FIRST}. A job whose claim time is unknown (its consumer ran in another JVM, whose reports do not
 * carry it) has no {@value #TO_CLAIM} or {@value #HANDLER_START}.
 */
public final class LatencyStages {
    /** Key in a case's details of the {@link #summary}. */
    public static final String DETAIL = "stages_ms";
    public static final String SCHEDULE_LAG = "schedule_lag";
    public static final String ENQUEUE = "enqueue";
    public static final String TO_CLAIM = "to_claim";
    public static final String HANDLER_START = "handler_start";
    public static final String TOTAL = "total";
    /** Key in the {@value #TO_CLAIM} figures: jobs whose claim returned before their enqueue call did. */
    public static final String CLAIM_FIRST = "claim_returned_first";
    /** A time not known, e.g. the claim's return for a job run in another JVM. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private volatile Schedule schedule;

    /** The arrays of one run's schedule: job {@code i} is intended at {@code startNanos + (long) (i * period)}. */
    private record Schedule(long startNanos, double periodNanos, long[] enqueueStart, long[] enqueueReturned,
            long[] claimReturned, long[] handlerStart) {
        Schedule(long startNanos, double periodNanos, int jobs) {
            this(startNanos, periodNanos, unknown(jobs), unknown(jobs), unknown(jobs), unknown(jobs));
        }

        long intended(int i) {
            return startNanos + (long) (i * periodNanos);
        }

        /** The place of the job intended at {@code intendedNanos}, or -1 when no job of this schedule was. */
        int index(long intendedNanos) {
            long i = Math.round((intendedNanos - startNanos) / periodNanos);
            return i >= 0 && i < handlerStart.length && intended((int) i) == intendedNanos ? (int) i : -1;
        }

        private static long[] unknown(int jobs) {
            long[] times = new long[jobs];
            Arrays.fill(times, UNKNOWN);
            return times;
        }
    }

    /** The producer's schedule starts: {@code jobs} jobs from {@code startNanos}, one every {@code periodNanos}. */
    public void begin(long startNanos, double periodNanos, long jobs) {
        schedule = new Schedule(startNanos, periodNanos, Math.toIntExact(jobs));
    }

    /** Job {@code i} of the schedule: its enqueue call was made at {@code startNanos}, returned at the other. */
    public void enqueued(long i, long startNanos, long returnedNanos) {
        Schedule s = schedule;
        s.enqueueStart[(int) i] = startNanos;
        s.enqueueReturned[(int) i] = returnedNanos;
    }

    /**
     * The handler of the job intended at {@code intendedNanos} started at {@code startNanos}, its claim having
     * returned at {@code claimReturnedNanos} ({@link #UNKNOWN} if not known); only its first start counts.
     */
    public void started(long intendedNanos, long claimReturnedNanos, long startNanos) {
        Schedule s = schedule;
        int i = s == null ? -1 : s.index(intendedNanos);
        if (i >= 0 && s.handlerStart[i] == UNKNOWN) {
            s.claimReturned[i] = claimReturnedNanos;
            s.handlerStart[i] = startNanos;
        }
    }

    /**
     * Per stage (in the order of the class comment), of the jobs intended at or after {@code measureFromNanos} whose
     * handler started: {@code count}, {@code p50}, {@code p90}, {@code p99} and {@code max} in ms; a stage no job
     * has is left out. Call it once the producer and consumers have stopped.
     */
    public Map<String, Object> summary(long measureFromNanos) {
        Map<String, Histogram> stages = new LinkedHashMap<>();
        for (String stage : new String[] {SCHEDULE_LAG, ENQUEUE, TO_CLAIM, HANDLER_START, TOTAL}) {
            stages.put(stage, new Histogram(3));
        }
        long claimFirst = 0;
        Schedule s = schedule;
        for (int i = 0; s != null && i < s.handlerStart.length; i++) {
            long intended = s.intended(i);
            if (intended - measureFromNanos < 0 || s.handlerStart[i] == UNKNOWN || s.enqueueReturned[i] == UNKNOWN) {
                continue;
            }
            record(stages.get(SCHEDULE_LAG), s.enqueueStart[i] - intended);
            record(stages.get(ENQUEUE), s.enqueueReturned[i] - s.enqueueStart[i]);
            record(stages.get(TOTAL), s.handlerStart[i] - intended);
            if (s.claimReturned[i] != UNKNOWN) {
                long toClaim = s.claimReturned[i] - s.enqueueReturned[i];
                claimFirst += toClaim < 0 ? 1 : 0;
                record(stages.get(TO_CLAIM), toClaim);
                record(stages.get(HANDLER_START), s.handlerStart[i] - s.claimReturned[i]);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        long first = claimFirst;
        stages.forEach((stage, h) -> {
            if (h.getTotalCount() > 0) {
                Map<String, Object> figures = figures(h.getTotalCount(), ms(h.getValueAtPercentile(50)),
                        ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
                if (stage.equals(TO_CLAIM)) {
                    figures.put(CLAIM_FIRST, first);
                }
                summary.put(stage, figures);
            }
        });
        return summary;
    }

    /** One stage's figures as {@link #summary} writes them: {@code count}, then p50, p90, p99 and max in ms. */
    public static Map<String, Object> figures(long count, double p50, double p90, double p99, double max) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", count);
        figures.put("p50", p50);
        figures.put("p90", p90);
        figures.put("p99", p99);
        figures.put("max", max);
        return figures;
    }

    private static void record(Histogram histogram, long nanos) {
        histogram.recordValue(TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos)));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
