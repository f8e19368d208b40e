package dev.queuebench.suite.workers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.ledger.UnansweredCompletes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The main class of one worker process, started by {@link WorkerProcesses}. It reads one JSON line from stdin (the
 * {@link Order}: backend, its configuration, what to do), opens the backend and answers {@code READY}, then works
 * until stdin closes, when it settles what it holds, closes the backend and exits. The configuration travels over
 * stdin, never on the command line, so no password shows in {@code ps}.
 *
 * <h2>The report protocol</h2>
 * This is the one description of what a worker tells its coordinator. Stdout carries nothing but the report: one
 * tab-separated line per event, written whole and flushed before the worker goes on (times in epoch microseconds,
 * {@code *Nanos} from {@link System#nanoTime()}).
 * <pre>
 * READY                                  the backend is open; first line, once
 * R queue id attempt leaseExpires intendedNanos startNanos startedAt
 *                                        claimed and about to run the handler (written before it runs)
 * A queue id attempt                     about to call complete (or the completeAll holding the job): written BEFORE
 *                                        the call, so the backend never completes a job the coordinator was not told of
 * C queue id attempt                     complete answered true
 * K queue id attempt                     complete answered false: refused, the lease was lost, the job not completed
 * F queue id attempt before              fail answered RETRY_SCHEDULED or DEAD; the lease ended by {@code before},
 *                                        taken just before the call (written after the call: only then is it known)
 * D queue id attempt                     fail answered DEAD; always right after its F
 * N queue id,id,...                      enqueueAll returned these ids (produce mode; written after the call)
 * S count                                completes accepted after their lease had expired (when stopped)
 * E count message                        errors, with the first one's message (when stopped, or opening failed)
 * </pre>
 * For each job and attempt the lines come in this order: R, then A followed by at most one of C or K, or else F
 * (then D). An A with neither C nor K after it by the end of the report is an unanswered complete: the call threw,
 * or the worker exited, was killed or was stopped by the coordinator's timeout before the answer came, so the backend
 * may or may not have completed the job. The ledger keeps it unanswered until {@link UnansweredCompletes} has looked
 * for the job in the backend. The coordinator reads every report to its end of file, also after a SIGKILL (sent
 * without closing the pipe), before the ledger is judged; a line outside this protocol is counted as an error and
 * skipped.
 *
 * <p>A worker an {@link Agent} started ({@value #UNDER_AGENT}) gets more on its stdin after the order:
 * {@code P count} (the agent has passed the first {@code count} report lines on to the coordinator) and
 * {@code STOP} (stop as a local worker does at the end of its stdin). Its {@code complete} and {@code completeAll}
 * wait until every line written before them is passed on ({@link ReportBarrier}), so "written BEFORE the call" holds
 * across the agent too: an agent that dies whole cannot take an announcement with it. The end of its stdin means the
 * agent is gone: it halts at once with status {@value #AGENT_GONE}.
 */
public final class WorkerProcessMain {
    /**
     * What the coordinator asks of this process. {@code mode} {@code consume} runs a {@link WorkerPool};
     * {@code produce} enqueues batches of {@code batch} jobs in a loop (the writer the sqlite-crash case kills).
     */
    public record Order(String mode, String backend, Map<String, String> config, List<String> queues, int threads,
            int batch, String task, long leaseMillis, int payloadBytes, boolean claimAhead) {}

    /** The argument an {@link Agent} starts its workers with: its stdin then carries acknowledgements and STOP. */
    static final String UNDER_AGENT = "--under-agent";
    /** From the agent on stdin: the first {@code count} report lines have been passed on ({@code P count}). */
    static final String PASSED_ON = "P";
    /** From the agent on stdin: stop as a local worker does when its stdin closes. */
    static final String STOP = "STOP";
    /** How an announcement line begins: the worker is about to complete a job ({@link ReportBarrier}). */
    static final String ANNOUNCEMENT = "A\t";
    /** The exit status of a worker whose agent went away (its stdin ended without STOP). */
    static final int AGENT_GONE = 3;

    private WorkerProcessMain() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String first = in.readLine();
        if (first == null) {
            return;
        }
        Order order = new ObjectMapper().readValue(first, Order.class);
        ReportBarrier barrier = args.length > 0 && args[0].equals(UNDER_AGENT) ? new ReportBarrier() : null;
        LineEvents events = new LineEvents(out, barrier);
        try (QueueBackend opened = QueueBackends.open(order.backend(), BackendConfig.of(order.config()))) {
            QueueBackend backend = barrier == null ? opened : new BarrierBackend(opened, barrier);
            events.line("READY");
            if (order.mode().equals("produce")) {
                AtomicBoolean running = new AtomicBoolean(true);
                Thread producer = Thread.ofPlatform().name("qb-writer")
                        .start(() -> produce(backend, order, events, running));
                awaitStop(in, barrier);
                running.set(false);
                join(producer);
            } else {
                Task task = Task.valueOf(order.task().toUpperCase(java.util.Locale.ROOT));
                try (WorkerPool pool = new WorkerPool(backend, order.queues(), order.threads(), order.batch(), task,
                        false, order.claimAhead(), Duration.ofMillis(order.leaseMillis()), events)) {
                    awaitStop(in, barrier);
                    pool.close();
                    events.counts(pool);
                }
            }
        } catch (RuntimeException e) {
            events.line("E\t1\t" + oneLine(e.getMessage()));
            out.flush();
            System.exit(1);
        }
        out.flush();
        System.exit(0);
    }

    /** Enqueues batches in a loop, reporting each batch's ids once {@code enqueueAll} has returned them. */
    private static void produce(QueueBackend backend, Order order, LineEvents events, AtomicBoolean running) {
        String queue = order.queues().getFirst();
        while (running.get()) {
            List<JobRequest> requests = new ArrayList<>(order.batch());
            for (int i = 0; i < order.batch(); i++) {
                requests.add(JobRequest.of(new Payload(System.nanoTime(), Payload.Behaviour.SUCCEED)
                        .encode(order.payloadBytes())));
            }
            try {
                List<String> ids = backend.enqueueAll(queue, requests);
                events.line("N\t" + queue + "\t" + String.join(",", ids));
            } catch (RuntimeException e) {
                events.line("E\t1\t" + oneLine(e.getMessage()));
            }
        }
    }

    /**
     * Returns when the worker is to stop: at the end of its stdin for a worker of this host's coordinator; for one an
     * agent started ({@code barrier} not null), at the agent's {@code STOP}, while a thread goes on reading the
     * agent's {@code P} lines into the barrier. Should that stdin end instead, the agent is gone and nothing this
     * worker still reports could reach the coordinator: it halts at once, completing nothing more.
     */
    private static void awaitStop(BufferedReader in, ReportBarrier barrier) throws IOException {
        if (barrier == null) {
            while (in.readLine() != null) {
                // the coordinator sends nothing more; end of input is the signal to stop
            }
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread.ofPlatform().daemon(true).name("qb-agent-input").start(() -> readAgent(in, barrier, stop));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The agent's lines on stdin until it ends, when the worker halts: its agent is gone. */
    private static void readAgent(BufferedReader in, ReportBarrier barrier, CountDownLatch stop) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(PASSED_ON + "\t")) {
                    barrier.passedOn(Long.parseLong(line.substring(PASSED_ON.length() + 1)));
                } else if (line.equals(STOP)) {
                    stop.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            // as if the input had ended
        }
        Runtime.getRuntime().halt(AGENT_GONE);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String oneLine(String message) {
        return String.valueOf(message).replace('\n', ' ').replace('\t', ' ');
    }

    /** Events as lines on stdout; one line is written whole (the stream is locked per line). */
    private record LineEvents(PrintStream out, ReportBarrier barrier) implements WorkerPool.Events {
        @Override
        public void started(ClaimedJob job, Payload payload, long startNanos, Instant startedAt) {
            line("R\t" + job.queue() + "\t" + job.id() + "\t" + job.attempt() + "\t" + micros(job.leaseExpiresAt())
                    + "\t" + payload.intendedNanos() + "\t" + startNanos + "\t" + micros(startedAt));
        }

        @Override
        public void released(ClaimedJob job, Instant before) {
            line("F\t" + job.queue() + "\t" + job.id() + "\t" + job.attempt() + "\t" + micros(before));
        }

        @Override
        public void completing(ClaimedJob job) {
            line(ANNOUNCEMENT + job.queue() + "\t" + job.id() + "\t" + job.attempt());
        }

        @Override
        public void completed(ClaimedJob job) {
            line("C\t" + job.queue() + "\t" + job.id() + "\t" + job.attempt());
        }

        @Override
        public void refused(ClaimedJob job) {
            line("K\t" + job.queue() + "\t" + job.id() + "\t" + job.attempt());
        }

        @Override
        public void dead(ClaimedJob job) {
            line("D\t" + job.queue() + "\t" + job.id() + "\t" + job.attempt());
        }

        /** The pool's stale completes accepted and its errors, once it has stopped (refusals went as K lines). */
        void counts(WorkerPool pool) {
            line("S\t" + pool.staleCompletesAccepted());
            if (pool.errors() > 0) {
                line("E\t" + pool.errors() + "\t" + oneLine(pool.firstError()));
            }
        }

        void line(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
                if (barrier != null) {
                    barrier.written(line.startsWith(ANNOUNCEMENT));
                }
            }
        }

        private static long micros(Instant instant) {
            return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
        }
    }
}
