package dev.queuebench.suite.workers;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.Progress;
import dev.queuebench.worker.Job;
import dev.queuebench.worker.JobResult;
import dev.queuebench.worker.QueueWorker;
import dev.queuebench.worker.WorkerListener;
import dev.queuebench.worker.WorkerMeters;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * N consumers on the worker runtime applications embed ({@link QueueWorker}): {@code workers} handler loops (platform
 * threads, or virtual ones) claiming up to {@code batch} jobs at once, running the task and acknowledging: each
 * {@code complete} alone when {@code batch} is 1, else {@code completeAll} in batches of up to {@code batch} (or
 * after {@link #ACK_DELAY}); jobs whose payload says so fail instead. Leases are not extended, so a slow handler's
 * lease runs out as the chaos cases want. Every handler run and settlement goes to the {@link Events}, and so to the
 * {@link Ledger}; every handler start to the {@link LatencyRecorder}. The same pool runs inside each worker process
 * ({@link WorkerProcessMain}), where the {@link Events} go to stdout instead.
 */
public final class WorkerPool implements Consumers {
    /** Long enough that no lease expires in a healthy case: a redelivery then means a real duplicate. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration CLAIM_WAIT = Duration.ofMillis(50);
    /** Longest a finished job waits for its acknowledgement batch to fill: the runtime's default. */
    private static final Duration ACK_DELAY = Duration.ofMillis(5);
    /** Allowance for the harness and backend clocks when judging that a lease had expired. */
    public static final Duration STALE_SLACK = Duration.ofMillis(200);

    /**
     * The runtime logs each failed backend call as a warning with its stack trace; the suite counts and reports them
     * itself ({@link ConsumerCounts}), and under a fault they would bury the console, so only errors are logged.
     */
    private static final java.util.logging.Logger RUNTIME_LOG =
            java.util.logging.Logger.getLogger(QueueWorker.class.getName());

    static {
        RUNTIME_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Task task;
    private final Events events;
    private final QueueWorker worker;
    private final ConsumerCounts counts = new ConsumerCounts();
    private final ThreadCosts costs = new ThreadCosts();
    private final AtomicLong sink = new AtomicLong();

    /**
     * Where a pool reports each handler run and settlement: the {@link Ledger} in this process, or the coordinator's
     * ledger through a worker process's stdout. Called from many worker threads at once.
     */
    public interface Events {
        /**
         * A handler started on {@code job} at {@code startNanos} ({@link System#nanoTime()}, comparable across the
         * processes of one host) and {@code startedAt}.
         */
        void started(ClaimedJob job, Payload payload, long startNanos, Instant startedAt);

        /**
         * As {@link #started(ClaimedJob, Payload, long, Instant)}, and the claim call that returned {@code job}
         * returned at {@code claimReturnedNanos}; by default that time is dropped (a worker process's reports do not
         * carry it).
         */
        default void started(ClaimedJob job, Payload payload, long claimReturnedNanos, long startNanos,
                Instant startedAt) {
            started(job, payload, startNanos, startedAt);
        }

        /** The handler gave the job back with {@code fail}; its lease ended no later than {@code before}. */
        void released(ClaimedJob job, Instant before);

        /**
         * {@code complete} (or the {@code completeAll} holding the job) is about to be called: reported before the
         * call, so no complete reaches the backend unannounced; its answer may never come.
         */
        void completing(ClaimedJob job);

        /** {@code complete} answered true. */
        void completed(ClaimedJob job);

        /** {@code complete} answered false: the lease was lost and the backend did not complete the job. */
        void refused(ClaimedJob job);

        /** {@code fail} answered DEAD. */
        void dead(ClaimedJob job);
    }

    /** Events recorded straight into this process's ledger, latency histogram and progress line. */
    public record LocalEvents(Ledger ledger, LatencyRecorder latency, Progress progress) implements Events {
        @Override
        public void started(ClaimedJob job, Payload payload, long startNanos, Instant startedAt) {
            started(job, payload, LatencyStages.UNKNOWN, startNanos, startedAt);
        }

        @Override
        public void started(ClaimedJob job, Payload payload, long claimReturnedNanos, long startNanos,
                Instant startedAt) {
            ledger.started(job, startedAt);
            latency.record(payload.intendedNanos(), claimReturnedNanos, startNanos);
        }

        @Override
        public void released(ClaimedJob job, Instant before) {
            ledger.released(job, before);
        }

        @Override
        public void completing(ClaimedJob job) {
            ledger.completing(job);
        }

        @Override
        public void completed(ClaimedJob job) {
            ledger.completed(job);
            progress.advance(1);
        }

        @Override
        public void refused(ClaimedJob job) {
            ledger.refused(job);
        }

        @Override
        public void dead(ClaimedJob job) {
            ledger.dead(job.queue(), job.id());
            progress.advance(1);
        }
    }

    /** Starts {@code workers} threads on {@code queues} at once, with {@link #LEASE}, reporting to this process. */
    public WorkerPool(QueueBackend backend, List<String> queues, int workers, int batch, Task task,
            boolean virtualThreads, Ledger ledger, LatencyRecorder latency, Progress progress) {
        this(backend, queues, workers, batch, task, virtualThreads, LEASE, new LocalEvents(ledger, latency, progress));
    }

    /** Starts {@code workers} handler loops on {@code queues} at once, claiming with {@code lease}, not ahead. */
    public WorkerPool(QueueBackend backend, List<String> queues, int workers, int batch, Task task,
            boolean virtualThreads, Duration lease, Events events) {
        this(backend, queues, workers, batch, task, virtualThreads, false, lease, events);
    }

    /**
     * Starts {@code workers} handler loops on {@code queues} at once, claiming with {@code lease}; with
     * {@code claimAhead} each loop claims its next batch while its batch's last job runs.
     */
    public WorkerPool(QueueBackend backend, List<String> queues, int workers, int batch, Task task,
            boolean virtualThreads, boolean claimAhead, Duration lease, Events events) {
        this.task = task;
        this.events = events;
        QueueWorker.Builder builder = QueueWorker.builder(backend).concurrency(workers).claimBatch(batch)
                .claimAhead(claimAhead).lease(lease)
                .claimWait(queues.size() == 1 ? CLAIM_WAIT : Duration.ZERO)
                .ackBatch(batch).ackDelay(batch == 1 ? Duration.ZERO : ACK_DELAY)
                .withoutLeaseExtension()
                .drainTimeout(lease.multipliedBy(2))
                .threadFactory(counted(virtualThreads))
                .listener(new Settlements())
                .handler(this::run);
        queues.forEach(builder::queue);
        this.worker = builder.start();
    }

    @Override
    public ConsumerCounts counts() {
        return counts;
    }

    /** Handler runs as the runtime's {@link WorkerMeters#HANDLER} timers counted them, whatever their result. */
    @Override
    public HandlerTime handlerTime() {
        Collection<Timer> timers = worker.meterRegistry().find(WorkerMeters.HANDLER).timers();
        return new HandlerTime(timers.stream().mapToLong(Timer::count).sum(),
                timers.stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum());
    }

    /** Every thread's CPU time and allocations (handler loops, acknowledgement flusher), added as each thread ends. */
    @Override
    public ThreadCosts costs() {
        return costs;
    }

    /**
     * Stops claiming, lets each handler loop settle what it holds (up to twice the lease), and waits for the
     * runtime's threads to end, also when this thread is interrupted (the interrupt is kept): the ledger must not be
     * judged while a worker still reports into it. The runtime's own close gives up waiting when interrupted, so it
     * runs on a thread of its own.
     */
    @Override
    public void close() {
        Thread closing = Thread.ofPlatform().name("qb-worker-close").start(worker::close);
        boolean interrupted = false;
        while (closing.isAlive()) {
            try {
                closing.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The runtime's threads, each adding its CPU time and allocations to {@link #costs} when it ends. */
    private ThreadFactory counted(boolean virtualThreads) {
        ThreadFactory threads = (virtualThreads ? Thread.ofVirtual().name("qb-worker-", 0)
                : Thread.ofPlatform().name("qb-worker-", 0).daemon(true)).factory();
        return work -> threads.newThread(() -> {
            ThreadCosts.Mark start = ThreadCosts.mark();
            try {
                work.run();
            } finally {
                costs.addSince(start);
            }
        });
    }

    /** The handler: reports the start, runs the task, and fails the job when its payload says so. */
    private JobResult run(Job job) {
        long startNanos = System.nanoTime();
        ClaimedJob claimed = job.claimed();
        Payload payload = Payload.decode(claimed.payload());
        events.started(claimed, payload, job.claimReturnedNanos(), startNanos, Instant.now());
        if (payload.behaviour() == Payload.Behaviour.SLOW_ONCE && job.attempt() == 1) {
            sleepPast(claimed.leaseExpiresAt().plus(STALE_SLACK));
        }
        if (task.run() == 1) {
            sink.incrementAndGet(); // uses the result, so the computation cannot be optimised away
        }
        boolean fails = switch (payload.behaviour()) {
            case SUCCEED, SLOW_ONCE -> false;
            case FAIL_ONCE -> job.attempt() == 1;
            case FAIL_ALWAYS -> true;
        };
        if (fails) {
            throw new IllegalStateException("failed on purpose by the benchmark (attempt " + job.attempt() + ")");
        }
        return JobResult.done();
    }

    /** Waits (a slow handler) until {@code until} has passed on this clock. */
    private static void sleepPast(Instant until) {
        for (long left = Duration.between(Instant.now(), until).toNanos(); left > 0;
                left = Duration.between(Instant.now(), until).toNanos()) {
            LockSupport.parkNanos(left);
        }
    }

    /** What the runtime reports about each job, passed on to the {@link Events} and {@link #counts}. */
    private final class Settlements implements WorkerListener {
        @Override
        public void acknowledging(ClaimedJob job) {
            events.completing(job);
        }

        /**
         * {@code before} was taken just before the call: a true answer to a call made after the lease had expired
         * (plus slack for the clocks) is a stale complete the backend should have refused.
         */
        @Override
        public void acknowledged(ClaimedJob job, boolean completed, Instant before) {
            if (completed) {
                events.completed(job);
                if (before.isAfter(job.leaseExpiresAt().plus(STALE_SLACK))) {
                    counts.staleCompletesAccepted(1);
                    error("complete accepted after the lease of job " + job.id() + " had expired");
                }
            } else {
                events.refused(job);
                counts.refusedCompletes(1);
                error("complete answered false (lease lost) for job " + job.id());
            }
        }

        @Override
        public void failed(ClaimedJob job, FailResult result, Instant before) {
            switch (result.outcome()) {
                case RETRY_SCHEDULED -> events.released(job, before);
                case DEAD -> {
                    events.released(job, before);
                    events.dead(job);
                }
                case LEASE_LOST -> error("fail answered LEASE_LOST for job " + job.id());
            }
        }

        @Override
        public void leaseLost(ClaimedJob job) {
            error("the lease of job " + job.id() + " was lost");
        }

        @Override
        public void abandoned(ClaimedJob job, String reason) {
            error("job " + job.id() + " was left unsettled: " + reason);
        }

        @Override
        public void backendError(String operation, Throwable error) {
            error(operation + " threw: " + error.getMessage());
        }
    }

    private void error(String message) {
        counts.error(1, message);
    }
}
