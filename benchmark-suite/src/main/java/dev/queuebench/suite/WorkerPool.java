package dev.queuebench.suite;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.QueueBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * N consumer threads (platform threads, or virtual ones) that claim jobs in batches of {@code batch}, run the task,
 * and settle each job: {@code complete} one at a time when {@code batch} is 1, one {@code completeAll} per claim
 * otherwise; jobs whose payload says so are failed instead. Every handler run and settlement goes to the
 * {@link Ledger}; every handler start to the {@link LatencyRecorder}. With several queues each worker goes round
 * them, starting at a different one.
 */
public final class WorkerPool implements AutoCloseable {
    /** Long enough that no lease expires in a healthy case: a redelivery then means a real duplicate. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration CLAIM_WAIT = Duration.ofMillis(50);

    private final QueueBackend backend;
    private final List<String> queues;
    private final int batch;
    private final Task task;
    private final Ledger ledger;
    private final LatencyRecorder latency;
    private final Progress progress;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong sink = new AtomicLong();
    private volatile boolean running = true;

    /** Starts {@code workers} threads on {@code queues} at once. */
    public WorkerPool(QueueBackend backend, List<String> queues, int workers, int batch, Task task,
            boolean virtualThreads, Ledger ledger, LatencyRecorder latency, Progress progress) {
        this.backend = backend;
        this.queues = List.copyOf(queues);
        this.batch = batch;
        this.task = task;
        this.ledger = ledger;
        this.latency = latency;
        this.progress = progress;
        Thread.Builder builder = virtualThreads ? Thread.ofVirtual().name("qb-worker-", 0)
                : Thread.ofPlatform().name("qb-worker-", 0).daemon(true);
        for (int i = 0; i < workers; i++) {
            int first = i % this.queues.size();
            threads.add(builder.start(() -> work(first)));
        }
    }

    /** Backend calls that threw or answered that a lease was lost, during this pool's life. */
    public long errors() {
        return errors.get();
    }

    /** The message of the first error, or null. */
    public String firstError() {
        return firstError.get();
    }

    /** Stops claiming, lets each worker settle what it holds, and waits for every thread to end. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work(int first) {
        int index = first;
        int emptyInARow = 0;
        while (running) {
            String queue = queues.get(index);
            try {
                List<ClaimedJob> jobs = backend.claim(queue, batch, LEASE, queues.size() == 1 ? CLAIM_WAIT : Duration.ZERO);
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
            ledger.started(job, Instant.now());
            Payload payload = Payload.decode(job.payload());
            latency.record(payload.intendedNanos(), startNanos);
            if (task.run() == 1) {
                sink.incrementAndGet(); // uses the result, so the computation cannot be optimised away
            }
            boolean fails = switch (payload.behaviour()) {
                case SUCCEED -> false;
                case FAIL_ONCE -> job.attempt() == 1;
                case FAIL_ALWAYS -> true;
            };
            if (fails) {
                fail(job);
            } else if (batch == 1) {
                settle(job, backend.complete(job));
            } else {
                toComplete.add(job);
            }
        }
        if (!toComplete.isEmpty()) {
            List<Boolean> answers = backend.completeAll(toComplete);
            for (int i = 0; i < toComplete.size(); i++) {
                settle(toComplete.get(i), answers.get(i));
            }
        }
    }

    private void fail(ClaimedJob job) {
        Instant before = Instant.now();
        FailResult result = backend.fail(job, "failed on purpose by the benchmark (attempt " + job.attempt() + ")");
        switch (result.outcome()) {
            case RETRY_SCHEDULED -> ledger.released(job, before);
            case DEAD -> {
                ledger.released(job, before);
                ledger.dead(job.queue(), job.id());
                progress.advance(1);
            }
            case LEASE_LOST -> error("fail answered LEASE_LOST for job " + job.id());
        }
    }

    private void settle(ClaimedJob job, boolean completed) {
        if (completed) {
            ledger.completed(job);
            progress.advance(1);
        } else {
            error("complete answered false (lease lost) for job " + job.id());
        }
    }

    private void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }
}
