package dev.queuebench.worker;

import dev.queuebench.api.QueueBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link JobHandler} on the jobs of one or more queues of any {@link QueueBackend}:
 *
 * <pre>{@code
 * QueueWorker worker = QueueWorker.builder(backend).queue("emails").concurrency(16).claimBatch(32)
 *         .lease(Duration.ofSeconds(30)).handler(job -> { send(job.payload()); return JobResult.done(); })
 *         .start();
 * }</pre>
 *
 * {@code concurrency} handler loops each claim up to {@code claimBatch} jobs, run them one after another and claim
 * again; acknowledgements are batched ({@link Acknowledger}), leases of held jobs extended ({@link Heartbeat}). See
 * the module README for the policies. {@link #close()} drains. Thread-safe.
 */
public final class QueueWorker implements AutoCloseable {
    final QueueBackend backend;
    final WorkerConfig config;
    final JobHandler handler;
    final JobEvents events;
    final WorkerMeters meters;
    final Acknowledger acks;
    final WorkerThreads threads;
    private final MeterRegistry registry;
    private final List<HandlerLoop> loops = new ArrayList<>();
    private final Heartbeat heartbeat;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean abandoning;

    private QueueWorker(Builder b, WorkerConfig config) {
        this.backend = b.backend;
        this.config = config;
        this.handler = b.handler;
        this.registry = b.registry;
        this.events = new JobEvents(b.listener);
        this.meters = new WorkerMeters(registry, backend.name(), config.queues());
        this.threads = new WorkerThreads(b.threadFactory, config.virtualThreads());
        this.acks = new Acknowledger(backend, config, events, threads);
        for (int i = 0; i < config.concurrency(); i++) {
            loops.add(new HandlerLoop(this, i));
        }
        this.heartbeat = config.extendsLeases() ? new Heartbeat(backend, config, events, loops, threads) : null;
        loops.forEach(HandlerLoop::start);
    }

    /** A builder for a worker on {@code backend}; the worker never closes the backend. */
    public static Builder builder(QueueBackend backend) {
        return new Builder(backend);
    }

    public WorkerConfig config() {
        return config;
    }

    /** Where the {@link WorkerMeters} are recorded. */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Jobs claimed and not yet settled or let go. */
    public long inFlight() {
        return config.queues().stream().mapToLong(q -> meters.queue(q).inFlight.get()).sum();
    }

    /**
     * Drains, then stops: claims no more, lets every loop finish the jobs it holds for up to
     * {@link WorkerConfig#drainTimeout()}, acknowledges what finished, then interrupts the handlers still running and
     * leaves their jobs, and any not started, to lease expiry (reported as {@link WorkerListener#abandoned}). Returns
     * once that is done; a second call, or one made while the first drains, returns at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        stopSignal.countDown();
        boolean drained = awaitLoops(System.nanoTime() + config.drainTimeout().toNanos());
        if (!drained) {
            abandoning = true;
            loops.forEach(HandlerLoop::interruptHandler);
        }
        acks.close();
        if (heartbeat != null) {
            heartbeat.close();
        }
        Duration roundTripWait = drained ? config.drainTimeout() : Duration.ZERO;
        loops.forEach(loop -> loop.stopRoundTrips(roundTripWait));
        meters.close();
    }

    /** True once every loop's thread has ended, false when the deadline came first (or this thread was interrupted). */
    private boolean awaitLoops(long deadlineNanos) {
        for (HandlerLoop loop : loops) {
            for (Thread t = loop.thread(); t.isAlive(); t = loop.thread()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    t.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    boolean stopping() {
        return stopping;
    }

    boolean abandoning() {
        return abandoning;
    }

    /** Waits {@code pause}, or less when the worker starts to stop. */
    void pause(Duration pause) {
        try {
            stopSignal.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // a pause is cut short by an interrupt; the loop clears it before its next claim
        }
    }

    @Override
    public String toString() {
        return "QueueWorker[" + backend.name() + "/" + backend.strategy() + ", " + config + "]";
    }

    /** Collects the settings; {@link #start()} checks them, naming the option at fault, and starts the worker. */
    public static final class Builder {
        private final QueueBackend backend;
        private final List<String> queues = new ArrayList<>();
        private int concurrency = WorkerConfig.DEFAULT_CONCURRENCY;
        private int claimBatch = WorkerConfig.DEFAULT_CLAIM_BATCH;
        private boolean claimAhead;
        private Duration lease = WorkerConfig.DEFAULT_LEASE;
        private Duration claimWait = WorkerConfig.DEFAULT_CLAIM_WAIT;
        private int ackBatch = WorkerConfig.DEFAULT_ACK_BATCH;
        private Duration ackDelay = WorkerConfig.DEFAULT_ACK_DELAY;
        private double extendLeaseAfter = WorkerConfig.DEFAULT_EXTEND_LEASE_AFTER;
        private boolean virtualThreads;
        private boolean interruptOnLostLease = true;
        private Duration drainTimeout = WorkerConfig.DEFAULT_DRAIN_TIMEOUT;
        private JobHandler handler;
        private WorkerListener listener = WorkerListener.NONE;
        private MeterRegistry registry;
        private ThreadFactory threadFactory;

        private Builder(QueueBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** Adds a queue to work on; several queues are visited round-robin. */
        public Builder queue(String queue) {
            queues.add(queue);
            return this;
        }

        /** Handler loops: at most this many handlers run at once (default 1). */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Jobs a loop claims at once and then runs one after another (default 1). */
        public Builder claimBatch(int claimBatch) {
            this.claimBatch = claimBatch;
            return this;
        }

        /**
         * Claim the next batch, without waiting, while the last job of the batch runs (default false): handlers do
         * not wait for a claim's round trip, at the price of holding one batch more per loop, whose leases run (and
         * are extended) from its claim.
         */
        public Builder claimAhead(boolean claimAhead) {
            this.claimAhead = claimAhead;
            return this;
        }

        /** The lease each claim asks for and each extension renews (default 30 s). */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /** How long a claim waits for a job once every queue came up empty (default 1 s); 0 polls. */
        public Builder claimWait(Duration claimWait) {
            this.claimWait = Objects.requireNonNull(claimWait, "claimWait");
            return this;
        }

        /** Most acknowledgements of one queue sent in one {@code completeAll} (default 64); 1 sends each alone. */
        public Builder ackBatch(int ackBatch) {
            this.ackBatch = ackBatch;
            return this;
        }

        /** Longest an acknowledgement waits for its batch to fill (default 5 ms); 0 sends each at once. */
        public Builder ackDelay(Duration ackDelay) {
            this.ackDelay = Objects.requireNonNull(ackDelay, "ackDelay");
            return this;
        }

        /** Extend a held job's lease once this share of it has passed (default 0.5). */
        public Builder extendLeaseAfter(double shareOfLease) {
            this.extendLeaseAfter = shareOfLease;
            return this;
        }

        /** Never extend leases: a job held longer than its lease is redelivered. */
        public Builder withoutLeaseExtension() {
            this.extendLeaseAfter = 0;
            return this;
        }

        /** Run the handler loops on virtual threads (default: platform daemon threads). */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /** Interrupt a handler whose lease is lost (default true); {@link Job#leaseLost()} says so either way. */
        public Builder interruptOnLostLease(boolean interrupt) {
            this.interruptOnLostLease = interrupt;
            return this;
        }

        /** How long {@link QueueWorker#close()} waits for held jobs before leaving them (default 30 s). */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /** The application's code for each job (required). */
        public Builder handler(JobHandler handler) {
            this.handler = handler;
            return this;
        }

        /** Sees each job's life, e.g. a ledger (default: none). */
        public Builder listener(WorkerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Makes every thread of the worker (handler loops, acknowledgement flusher, heartbeat) instead of the default
         * platform daemon threads; not together with {@link #virtualThreads(boolean)}.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** Where to record the {@link WorkerMeters} (default: a registry of the worker's own). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** The settings as they stand, checked. */
        public WorkerConfig config() {
            return new WorkerConfig(queues, concurrency, claimBatch, claimAhead, lease, claimWait, ackBatch, ackDelay,
                    extendLeaseAfter, virtualThreads, interruptOnLostLease, drainTimeout);
        }

        /** Checks the settings and starts the worker's threads. */
        public QueueWorker start() {
            WorkerConfig config = config();
            if (handler == null) {
                throw new IllegalArgumentException("handler: set the JobHandler that runs each job");
            }
            if (threadFactory != null && config.virtualThreads()) {
                throw new IllegalArgumentException("threadFactory: virtualThreads(true) and a threadFactory exclude"
                        + " each other; let the factory make virtual threads");
            }
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            return new QueueWorker(this, config);
        }
    }
}
