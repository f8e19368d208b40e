package dev.queuebench.worker;

import dev.queuebench.api.FailResult;
import dev.queuebench.api.QueueMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters a worker records, tagged {@code backend} and {@code queue} like the backends' own
 * ({@link QueueMetrics}). Two workers on one registry and queue add to the same counters and timers; the
 * {@link #IN_FLIGHT} gauge then follows the first of them, so give each running worker its own registry when it
 * matters.
 */
public final class WorkerMeters {
    /** Jobs whose acknowledgement the backend accepted, tagged {@code result}: {@code done} or {@code discarded}. */
    public static final String PROCESSED = "queuebench.worker.processed";
    /**
     * Jobs given back or lost, tagged {@code outcome}: {@code retry_scheduled}, {@code dead} or {@code lease_lost}
     * (a refused {@code fail}, acknowledgement or extension).
     */
    public static final String FAILED = "queuebench.worker.failed";
    /** Jobs let go unsettled, left to lease expiry (drain timeout, a backend call that threw, a dead thread). */
    public static final String ABANDONED = "queuebench.worker.abandoned";
    /** Gauge: jobs claimed and not yet settled or let go. */
    public static final String IN_FLIGHT = "queuebench.worker.in_flight";
    /** Timer of handler runs, tagged {@code result}: {@code done}, {@code retry}, {@code discard} or {@code error}. */
    public static final String HANDLER = "queuebench.worker.handler";
    /** Distribution of jobs per {@code complete}/{@code completeAll} call. */
    public static final String ACK_BATCH = "queuebench.worker.ack.batch";
    /** Lease extensions, tagged {@code result}: {@code extended} or {@code lost}. */
    public static final String LEASE_EXTENSIONS = "queuebench.worker.lease.extensions";
    /** Backend calls that threw, tagged {@code op} ({@link QueueMetrics.Op#tag()}). */
    public static final String ERRORS = "queuebench.worker.errors";

    public static final String TAG_RESULT = "result";
    public static final String TAG_OUTCOME = "outcome";

    private final MeterRegistry registry;
    private final Map<String, QueueMeters> byQueue = new LinkedHashMap<>();

    WorkerMeters(MeterRegistry registry, String backend, List<String> queues) {
        this.registry = registry;
        for (String queue : queues) {
            byQueue.put(queue, new QueueMeters(registry, backend, queue));
        }
    }

    QueueMeters queue(String queue) {
        return byQueue.get(queue);
    }

    /** Removes the in-flight gauges, so a later worker on the same registry and queues gets its own. */
    void close() {
        byQueue.values().forEach(m -> registry.remove(m.inFlightGauge));
    }

    /** The meters of one queue, registered when the worker starts. */
    static final class QueueMeters {
        private final MeterRegistry registry;
        private final String backend;
        private final String queue;
        final Counter done;
        final Counter discarded;
        final Counter retryScheduled;
        final Counter dead;
        final Counter leaseLost;
        final Counter abandoned;
        final Counter extended;
        final Counter extensionsLost;
        final Timer handlerDone;
        final Timer handlerRetry;
        final Timer handlerDiscard;
        final Timer handlerError;
        final DistributionSummary ackBatch;
        final AtomicLong inFlight = new AtomicLong();
        private final Gauge inFlightGauge;

        private QueueMeters(MeterRegistry registry, String backend, String queue) {
            this.registry = registry;
            this.backend = backend;
            this.queue = queue;
            done = counter(PROCESSED, TAG_RESULT, "done");
            discarded = counter(PROCESSED, TAG_RESULT, "discarded");
            retryScheduled = counter(FAILED, TAG_OUTCOME, "retry_scheduled");
            dead = counter(FAILED, TAG_OUTCOME, "dead");
            leaseLost = counter(FAILED, TAG_OUTCOME, "lease_lost");
            abandoned = Counter.builder(ABANDONED).tags(tags()).register(registry);
            extended = counter(LEASE_EXTENSIONS, TAG_RESULT, "extended");
            extensionsLost = counter(LEASE_EXTENSIONS, TAG_RESULT, "lost");
            handlerDone = timer("done");
            handlerRetry = timer("retry");
            handlerDiscard = timer("discard");
            handlerError = timer("error");
            ackBatch = DistributionSummary.builder(ACK_BATCH).tags(tags()).register(registry);
            inFlightGauge = Gauge.builder(IN_FLIGHT, inFlight, AtomicLong::get).tags(tags()).register(registry);
        }

        /** The counter of failures with that outcome. */
        Counter failed(FailResult.Outcome outcome) {
            return switch (outcome) {
                case RETRY_SCHEDULED -> retryScheduled;
                case DEAD -> dead;
                case LEASE_LOST -> leaseLost;
            };
        }

        /** Counts a backend call that threw; registered on first use, since most workers never need it. */
        void error(QueueMetrics.Op op) {
            Counter.builder(ERRORS).tags(tags()).tag(QueueMetrics.TAG_OP, op.tag()).register(registry).increment();
        }

        private Counter counter(String name, String tag, String value) {
            return Counter.builder(name).tags(tags()).tag(tag, value).register(registry);
        }

        private Timer timer(String result) {
            return Timer.builder(HANDLER).tags(tags()).tag(TAG_RESULT, result).register(registry);
        }

        private String[] tags() {
            return new String[] {QueueMetrics.TAG_BACKEND, backend, QueueMetrics.TAG_QUEUE, queue};
        }
    }
}
