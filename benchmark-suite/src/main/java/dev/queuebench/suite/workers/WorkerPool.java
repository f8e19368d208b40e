package dev.queuebench.suite.workers;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.ledger.UnansweredCompletes;
import dev.queuebench.suite.run.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * N consumer threads (platform threads, or virtual ones) that claim jobs in batches of {@code batch}, run the task,
 * and settle each job: {@code complete} one at a time when {@code batch} is 1, one {@code completeAll} per claim
 * otherwise; jobs whose payload says so are failed instead. Every handler run and settlement goes to the
 * {@link Ledger}; every handler start to the {@link LatencyRecorder}. With several queues each worker goes round
 * them, starting at a different one. The same loop runs inside each worker process ({@link WorkerProcessMain}), where
 * the {@link Events} go to stdout instead.
 */
public final class WorkerPool implements Consumers {
    /** Long enough that no lease expires in a healthy case: a redelivery then means a real duplicate. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration CLAIM_WAIT = Duration.ofMillis(50);
    /** Allowance for the harness and backend clocks when judging that a lease had expired. */
    public static final Duration STALE_SLACK = Duration.ofMillis(200);

    private final QueueBackend backend;
    private final List<String> queues;
    private final int batch;
    private final Task task;
    private final Duration lease;
    private final Events events;
    private final List<Thread> threads = new ArrayList<>();
    private final ConsumerCounts counts = new ConsumerCounts();
    private final ThreadCosts costs = new ThreadCosts();
    private final AtomicLong sink = new AtomicLong();
    private volatile boolean running = true;

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
            ledger.started(job, startedAt);
            latency.record(payload.intendedNanos(), startNanos);
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

    /** Starts {@code workers} threads on {@code queues} at once, claiming with {@code lease}. */
    public WorkerPool(QueueBackend backend, List<String> queues, int workers, int batch, Task task,
            boolean virtualThreads, Duration lease, Events events) {
        this.backend = backend;
        this.queues = List.copyOf(queues);
        this.batch = batch;
        this.task = task;
        this.lease = lease;
        this.events = events;
        Thread.Builder builder = virtualThreads ? Thread.ofVirtual().name("qb-worker-", 0)
                : Thread.ofPlatform().name("qb-worker-", 0).daemon(true);
        for (int i = 0; i < workers; i++) {
            int first = i % this.queues.size();
            threads.add(builder.start(() -> work(first)));
        }
    }

    @Override
    public ConsumerCounts counts() {
        return counts;
    }

    /** Every worker thread's CPU time and allocations, added as each thread ends. */
    @Override
    public ThreadCosts costs() {
        return costs;
    }

    /**
     * Stops claiming, lets each worker settle what it holds, and waits for every thread to end, also when this thread
     * is interrupted (the interrupt is kept): the ledger must not be judged while a worker still reports into it.
     */
    @Override
    public void close() {
        running = false;
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One worker thread: its loop, then its CPU time and allocations into {@link #costs}. */
    private void work(int first) {
        ThreadCosts.Mark start = ThreadCosts.mark();
        try {
            loop(first);
        } finally {
            costs.addSince(start);
        }
    }

    /**
     * One worker's loop. An interrupt stops the worker once it has handled what it claimed (an interrupted call may
     * throw: such a complete stays unanswered until {@link UnansweredCompletes} looks for the job); the other
     * workers go on and take over its jobs when their leases end.
     */
    private void loop(int first) {
        int index = first;
        int emptyInARow = 0;
        while (running) {
            if (Thread.currentThread().isInterrupted()) {
                error(Thread.currentThread().getName() + " was interrupted: it stopped claiming");
                return;
            }
            String queue = queues.get(index);
            try {
                List<ClaimedJob> jobs =
                        backend.claim(queue, batch, lease, queues.size() == 1 ? CLAIM_WAIT : Duration.ZERO);
                if (jobs.isEmpty()) {
                    index = (index + 1) % queues.size();
                    if (++emptyInARow >= queues.size() && queues.size() > 1) {
                        LockSupport.parkNanos(1_000_000); // every queue was empty: do not spin
                        emptyInARow = 0;
                    }
                    continue;
                }
                emptyInARow = 0;
                handle(jobs);
            } catch (BackendClosedException e) {
                return;
            } catch (RuntimeException e) {
                error(e.getMessage());
                LockSupport.parkNanos(10_000_000); // a failing server: retry, but not in a hot loop
            }
        }
    }

    private void handle(List<ClaimedJob> jobs) {
        List<ClaimedJob> toComplete = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            long startNanos = System.nanoTime();
            Payload payload = Payload.decode(job.payload());
            events.started(job, payload, startNanos, Instant.now());
            if (payload.behaviour() == Payload.Behaviour.SLOW_ONCE && job.attempt() == 1) {
                sleepPast(job.leaseExpiresAt().plus(STALE_SLACK));
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
                fail(job);
            } else if (batch == 1) {
                events.completing(job);
                Instant before = Instant.now();
                settle(job, backend.complete(job), before);
            } else {
                toComplete.add(job);
            }
        }
        if (!toComplete.isEmpty()) {
            toComplete.forEach(events::completing);
            Instant before = Instant.now();
            List<Boolean> answers = backend.completeAll(toComplete);
            for (int i = 0; i < toComplete.size(); i++) {
                settle(toComplete.get(i), answers.get(i), before);
            }
        }
    }

    /** Waits (a slow handler) until {@code until} has passed on this clock. */
    private static void sleepPast(Instant until) {
        for (long left = Duration.between(Instant.now(), until).toNanos(); left > 0;
                left = Duration.between(Instant.now(), until).toNanos()) {
            LockSupport.parkNanos(left);
        }
    }

    private void fail(ClaimedJob job) {
        Instant before = Instant.now();
        FailResult result = backend.fail(job, "failed on purpose by the benchmark (attempt " + job.attempt() + ")");
        switch (result.outcome()) {
            case RETRY_SCHEDULED -> events.released(job, before);
            case DEAD -> {
                events.released(job, before);
                events.dead(job);
            }
            case LEASE_LOST -> error("fail answered LEASE_LOST for job " + job.id());
        }
    }

    /**
     * Records a {@code complete} answer. {@code before} was taken just before the call: a true answer to a call made
     * after the lease had expired (plus slack for the clocks) is a stale complete the backend should have refused.
     */
    private void settle(ClaimedJob job, boolean completed, Instant before) {
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

    private void error(String message) {
        counts.error(1, message);
    }
}
