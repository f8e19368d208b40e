package dev.queuebench.suite.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.Secrets;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.BackendUnderTest;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker JVMs started from this suite's own class path ({@link WorkerProcessMain}), each opening the backend with the
 * same configuration (sent over its stdin) and reporting every handler run and settlement as lines on its stdout,
 * which this class feeds into the coordinator's {@link Ledger}: the ledger stays the single source of truth. The
 * workers die with the coordinator: {@link #close()} ends them, a shutdown hook kills them if the coordinator exits
 * first, and a worker whose stdin closes (its coordinator gone) stops by itself.
 */
public final class WorkerProcesses implements Consumers {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** Longest a reader may take to reach the end of a dead worker's output (what is left in the pipe). */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final WorkerPool.LocalEvents events;
    private final ReaderGate gate;
    private final List<Worker> workers = new ArrayList<>();
    private final CountDownLatch ready;
    private final ConsumerCounts counts = new ConsumerCounts();
    private final Thread killOnExit = new Thread(this::killAll, "qb-worker-processes-hook");

    /** A test hook: worker {@code index}'s reader passes it before it reads each line after {@code READY}. */
    @FunctionalInterface
    interface ReaderGate {
        ReaderGate OPEN = index -> {};

        void pass(int index) throws InterruptedException;
    }

    /** One worker JVM (here, or an agent's) and the thread that reads its report into the ledger. */
    private static final class Worker {
        final int index;
        final WorkerLink link;
        final AtomicLong holding = new AtomicLong();
        Thread reader;
        volatile boolean killed;
        /** Why this worker's report could not be read to its end, or null. */
        volatile String readFailure;
        /** How the connection to this worker's agent broke, or null. */
        volatile String agentLost;
        /** Its end has been awaited and judged. */
        volatile boolean ended;

        Worker(int index, WorkerLink link) {
            this.index = index;
            this.link = link;
        }

        @Override
        public String toString() {
            return "worker process " + index + " (" + link.describe() + ")";
        }
    }

    /** A worker JVM this process started: its stdin, stdout and pid. */
    private record LocalLink(Process process, BufferedReader reports) implements WorkerLink {
        @Override
        public void stop() throws IOException {
            process.getOutputStream().close();
        }

        /**
         * SIGKILL through {@link ProcessHandle}, which leaves the pipes open: {@link Process#destroyForcibly()} would
         * also close this side of the worker's stdout and throw away every report line not read yet.
         */
        @Override
        public void kill() {
            process.toHandle().destroyForcibly();
        }

        @Override
        public boolean waitFor(long nanos) throws InterruptedException {
            return process.waitFor(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }

        @Override
        public OptionalInt exitStatus() {
            return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public String describe() {
            return "pid " + process.pid();
        }
    }

    private WorkerProcesses(int count, WorkerPool.LocalEvents events, ReaderGate gate) {
        this.events = events;
        this.gate = gate;
        this.ready = new CountDownLatch(count);
    }

    /** True unless the backend keeps its jobs inside this JVM (memory), where another process cannot reach them. */
    public static boolean reachableFromOtherProcesses(QueueBackend backend) {
        return backend.capabilities().durability() != Durability.PROCESS;
    }

    /**
     * Starts {@code processes} consumer JVMs sharing {@code workers} threads between them (at least one each) and
     * returns once every one has opened the backend.
     */
    public static WorkerProcesses consume(BackendUnderTest target, List<String> queues, int processes, int workers,
            int batch, Task task, Duration lease, WorkerPool.LocalEvents events) {
        return consume(target, queues, processes, workers, batch, task, false, lease, events, ReaderGate.OPEN);
    }

    /** {@link #consume}, each worker's handler loops claiming ahead when {@code claimAhead}. */
    public static WorkerProcesses consume(BackendUnderTest target, List<String> queues, int processes, int workers,
            int batch, Task task, boolean claimAhead, Duration lease, WorkerPool.LocalEvents events) {
        return consume(target, queues, processes, workers, batch, task, claimAhead, lease, events, ReaderGate.OPEN);
    }

    /** {@link #consume} with a {@link ReaderGate} in front of every worker's reader (tests). */
    public static WorkerProcesses consume(BackendUnderTest target, List<String> queues, int processes, int workers,
            int batch, Task task, Duration lease, WorkerPool.LocalEvents events, ReaderGate gate) {
        return consume(target, queues, processes, workers, batch, task, false, lease, events, gate);
    }

    private static WorkerProcesses consume(BackendUnderTest target, List<String> queues, int processes, int workers,
            int batch, Task task, boolean claimAhead, Duration lease, WorkerPool.LocalEvents events,
            ReaderGate gate) {
        WorkerProcesses started = new WorkerProcesses(processes, events, gate);
        List<String> agents = target.options().agents();
        for (int i = 0; i < processes; i++) {
            int threads = Math.max(1, workers / processes + (i < workers % processes ? 1 : 0));
            WorkerProcessMain.Order order = new WorkerProcessMain.Order("consume", target.name(),
                    target.config().values(), queues, threads, batch, task.label(), lease.toMillis(),
                    target.options().payloadBytes(), claimAhead);
            if (agents.isEmpty()) {
                started.start(order);
            } else {
                started.startOn(agents.get(i % agents.size()), order);
            }
        }
        return started.awaitReady();
    }

    /**
     * Connects to the agent at {@code address}, waits for its greeting and hangs up: a run checks its agents this
     * way before any case.
     *
     * @throws IllegalStateException naming the address when no agent answers there
     */
    public static void reachAgent(String address) {
        AgentLink.reach(address);
    }

    /** Starts one writer JVM that enqueues batches of {@code batch} on {@code queue} until stopped or killed. */
    public static WorkerProcesses produce(BackendUnderTest target, String queue, int batch,
            WorkerPool.LocalEvents events) {
        WorkerProcesses started = new WorkerProcesses(1, events, ReaderGate.OPEN);
        started.start(new WorkerProcessMain.Order("produce", target.name(), target.config().values(), List.of(queue),
                1, batch, Task.NOOP.label(), 0, target.options().payloadBytes(), false));
        return started.awaitReady();
    }

    /** The operating-system pid of worker {@code index}. */
    public long pid(int index) {
        return workers.get(index).link.pid();
    }

    /**
     * Where each worker ran: for a worker on an agent its address, the hostname it reported, its pid and the clock
     * offset measured at connect; empty when every worker is a JVM of this host started here.
     */
    @Override
    public List<String> placements() {
        return workers.stream().filter(w -> w.link instanceof AgentLink).map(w -> w.link.describe()).toList();
    }

    /** Jobs worker {@code index} holds right now: handler runs it reported and has not settled or released. */
    public long holding(int index) {
        return workers.get(index).holding.get();
    }

    /**
     * SIGKILLs worker {@code index} (no chance to settle what it holds), waits until it is gone and its reader has
     * fed the ledger every line it wrote before it died.
     */
    public void kill(int index) {
        Worker worker = workers.get(index);
        worker.killed = true;
        signalKill(worker);
        awaitEnd(worker);
    }

    /**
     * Waits until worker {@code index} has ended on its own (e.g. its whole agent was killed) and its reader has fed
     * the ledger everything that reached this process.
     */
    public void awaitEnded(int index) {
        awaitEnd(workers.get(index));
    }

    @Override
    public ConsumerCounts counts() {
        return counts;
    }

    /** Not measured: the workers ran in other JVMs. */
    @Override
    public ThreadCosts costs() {
        return ThreadCosts.unmeasured("the workers ran in " + workers.size() + " other JVMs, not counted");
    }

    /**
     * Closes every worker's stdin (it settles what it holds and exits), kills any still running after
     * {@link #STOP_TIMEOUT} (or at once when this thread is interrupted), and returns once every worker's report has
     * been read to its end.
     *
     * @throws IllegalStateException when a worker's report could not be read to its end: the ledger misses part of
     *                               it, so the case cannot be judged
     */
    @Override
    public void close() {
        close(STOP_TIMEOUT);
    }

    /** {@link #close()} with another stop timeout (tests). */
    void close(Duration stopTimeout) {
        for (Worker worker : workers) {
            try {
                worker.link.stop();
            } catch (IOException e) {
                // already gone
            }
        }
        try {
            long deadline = System.nanoTime() + stopTimeout.toNanos();
            for (Worker worker : workers) {
                if (!waitFor(worker.link, deadline - System.nanoTime())) {
                    counts.error(1, worker + (Thread.currentThread().isInterrupted()
                            ? " was killed: the coordinator was interrupted while the workers stopped"
                            : " did not stop within " + stopTimeout.toMillis() + " ms of its stdin closing: killed"));
                    worker.killed = true;
                    signalKill(worker);
                }
            }
            workers.forEach(this::awaitEnd);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
        List<String> failures = workers.stream().map(w -> w.readFailure).filter(Objects::nonNull).toList();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
    }

    private void start(WorkerProcessMain.Order order) {
        if (workers.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
        Process process;
        try {
            process = startWorkerJvm(json(order));
        } catch (IOException e) {
            killAll();
            throw new UncheckedIOException("cannot start a worker process (" + javaCommand() + ")", e);
        }
        add(new LocalLink(process, new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))));
    }

    /** Connects to the agent at {@code address} ({@code host:port}) and has it start a worker for {@code order}. */
    private void startOn(String address, WorkerProcessMain.Order order) {
        if (workers.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
        AgentLink link;
        try {
            link = AgentLink.connect(address, json(order));
        } catch (RuntimeException e) {
            killAll();
            throw e;
        }
        add(link);
    }

    private void add(WorkerLink link) {
        Worker worker = new Worker(workers.size(), link);
        workers.add(worker);
        worker.reader = Thread.ofPlatform().name("qb-worker-process-" + workers.size()).daemon(true)
                .start(() -> read(worker));
    }

    /**
     * Starts a {@link WorkerProcessMain} JVM from this suite's class path with {@code args}, its stderr this
     * process's, and writes {@code orderJson} as the first line of its stdin (never on its command line).
     */
    static Process startWorkerJvm(String orderJson, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath(), WorkerProcessMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        OutputStream stdin = process.getOutputStream();
        stdin.write((orderJson + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return process;
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private WorkerProcesses awaitReady() {
        try {
            boolean allReady = ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!allReady || workers.stream().anyMatch(w -> w.link.exitStatus().isPresent())) {
                BackendUnavailableException failure = new BackendUnavailableException(
                        "a worker process could not open the backend: " + (counts.firstError() == null
                                ? "no answer within " + START_TIMEOUT.toSeconds() + " s" : counts.firstError()), null);
                try {
                    close();
                } catch (IllegalStateException e) {
                    failure.addSuppressed(e);
                }
                throw failure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
        return this;
    }

    /**
     * Feeds one worker's lines into the ledger until its stdout ends (it exited or was killed). A line that is not
     * in the protocol is counted as an error and skipped; a failure to read is kept as the worker's read failure.
     */
    private void read(Worker worker) {
        boolean sawReady = false;
        try (BufferedReader lines = worker.link.reports()) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (worker.link instanceof AgentLink agent && agent.ownLine(line)) {
                    continue; // the agent's own line (its worker's pid, how it exited), not the report
                }
                if (line.equals("READY")) {
                    sawReady = true;
                    ready.countDown();
                } else {
                    handle(worker, line);
                }
                if (sawReady) {
                    gate.pass(worker.index);
                }
            }
        } catch (IOException e) {
            if (worker.link instanceof AgentLink) {
                // what arrived before the break is read; the worker announced every complete before calling it
                worker.agentLost = "its connection broke (" + e.getMessage() + ")";
            } else {
                worker.readFailure = "the report of " + worker + " could not be read to its end: " + e;
            }
        } catch (InterruptedException e) {
            worker.readFailure = "the report of " + worker + " could not be read to its end: " + e;
        } finally {
            if (!sawReady) {
                ready.countDown(); // a worker that died before READY must not keep awaitReady waiting
            }
        }
    }

    private void handle(Worker worker, String line) {
        try {
            handle(line.split("\t", -1), worker.holding, worker.link.clockOffsetNanos());
        } catch (RuntimeException e) {
            counts.error(1, worker + " sent a line outside the report protocol (" + e.getClass().getSimpleName()
                    + "): " + Secrets.redact(line.length() > 200 ? line.substring(0, 200) + "..." : line));
        }
    }

    /** One line of {@link WorkerProcessMain}'s report protocol. */
    private void handle(String[] f, AtomicLong held, long clockOffsetNanos) {
        switch (f[0]) {
            case "R" -> {
                events.started(job(f, micros(f[4])), new Payload(Long.parseLong(f[5]), Payload.Behaviour.SUCCEED),
                        Long.parseLong(f[6]) - clockOffsetNanos, micros(f[7]));
                held.incrementAndGet();
            }
            case "F" -> {
                events.released(job(f, null), micros(f[4]));
                held.decrementAndGet();
            }
            case "A" -> events.completing(job(f, null));
            case "C" -> {
                events.completed(job(f, null));
                held.decrementAndGet();
            }
            case "K" -> {
                events.refused(job(f, null));
                held.decrementAndGet();
                counts.refusedCompletes(1);
            }
            case "D" -> events.dead(job(f, null)); // always follows its F
            case "N" -> events.ledger().enqueued(f[1], Arrays.asList(f[2].split(",")));
            case "S" -> counts.staleCompletesAccepted(Long.parseLong(f[1]));
            case "E" -> counts.error(Long.parseLong(f[1]), f[2]);
            default -> throw new IllegalArgumentException("unknown line kind");
        }
    }

    private static ClaimedJob job(String[] f, Instant leaseExpiresAt) {
        return new ClaimedJob(f[2], f[1], new byte[0], 0, Integer.parseInt(f[3]), 0, null, leaseExpiresAt, null);
    }

    private static Instant micros(String epochMicros) {
        long micros = Long.parseLong(epochMicros);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    /** SIGKILLs the worker's JVM, leaving its report to be read to its end. */
    private static void signalKill(Worker worker) {
        worker.link.kill();
    }

    /**
     * Waits until the worker has exited and its reader has reached the end of its output, even when interrupted
     * (the interrupt is kept): the ledger must not be judged while a reader still feeds it. A reader that does not
     * finish becomes the worker's read failure; a worker that exits with an error, unasked, counts as an error.
     */
    private void awaitEnd(Worker worker) {
        if (worker.ended) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + STOP_TIMEOUT.plus(READ_TIMEOUT).toNanos();
        while (true) {
            try {
                if (!worker.link.waitFor(deadline - System.nanoTime())) {
                    signalKill(worker);
                }
                worker.reader.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (worker.reader.isAlive()) {
            worker.readFailure = "the report of " + worker + " was not read to its end within "
                    + STOP_TIMEOUT.plus(READ_TIMEOUT).toSeconds() + " s";
        } else if (!worker.killed && worker.link instanceof AgentLink && (worker.agentLost != null
                || worker.link.exitStatus().orElse(0) == -1)) {
            counts.error(1, worker + " lost its agent: " + (worker.agentLost != null ? worker.agentLost
                    : "the connection ended before the worker's exit status") + "; the jobs it held come back after"
                    + " their lease");
        } else if (!worker.killed && worker.link.exitStatus().orElse(0) != 0) {
            counts.error(1, worker + " exited with status " + worker.link.exitStatus().getAsInt());
        }
        worker.ended = !worker.reader.isAlive();
    }

    private static boolean waitFor(WorkerLink link, long nanos) {
        try {
            return link.waitFor(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void killAll() {
        workers.forEach(WorkerProcesses::signalKill);
    }

    /**
     * This suite's class path: the URLs of the context class loader where it is a {@link URLClassLoader} (under
     * {@code exec:java}, where {@code java.class.path} is Maven's launcher), else {@code java.class.path} (the
     * shaded jar, or Surefire's).
     */
    public static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: nothing a child JVM could load
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static String json(WorkerProcessMain.Order order) {
        try {
            return new ObjectMapper().writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a worker's order", e);
        }
    }
}
