package dev.queuebench.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private final WorkerPool.LocalEvents events;
    private final ReaderGate gate;
    private final List<Process> processes = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<AtomicLong> holding = new ArrayList<>();
    private final List<Set<String>> completing = new ArrayList<>();
    private final Set<Integer> killed = ConcurrentHashMap.newKeySet();
    private final CountDownLatch ready;
    private final ConsumerCounts counts = new ConsumerCounts();
    private final Thread killOnExit = new Thread(this::killAll, "qb-worker-processes-hook");

    /** A test hook: worker {@code index}'s reader passes it before it reads each line after {@code READY}. */
    @FunctionalInterface
    interface ReaderGate {
        ReaderGate OPEN = index -> {};

        void pass(int index) throws InterruptedException;
    }

    private WorkerProcesses(int count, WorkerPool.LocalEvents events, ReaderGate gate) {
        this.events = events;
        this.gate = gate;
        this.ready = new CountDownLatch(count);
    }

    /** True unless the backend keeps its jobs inside this JVM (memory), where another process cannot reach them. */
    static boolean reachableFromOtherProcesses(QueueBackend backend) {
        return backend.capabilities().durability() != Durability.PROCESS;
    }

    /**
     * Starts {@code processes} consumer JVMs sharing {@code workers} threads between them (at least one each) and
     * returns once every one has opened the backend.
     */
    static WorkerProcesses consume(BackendUnderTest target, List<String> queues, int processes, int workers, int batch,
            Task task, Duration lease, WorkerPool.LocalEvents events) {
        return consume(target, queues, processes, workers, batch, task, lease, events, ReaderGate.OPEN);
    }

    /** {@link #consume} with a {@link ReaderGate} in front of every worker's reader (tests). */
    static WorkerProcesses consume(BackendUnderTest target, List<String> queues, int processes, int workers, int batch,
            Task task, Duration lease, WorkerPool.LocalEvents events, ReaderGate gate) {
        WorkerProcesses started = new WorkerProcesses(processes, events, gate);
        for (int i = 0; i < processes; i++) {
            int threads = Math.max(1, workers / processes + (i < workers % processes ? 1 : 0));
            started.start(new WorkerProcessMain.Order("consume", target.name(), target.config().values(), queues,
                    threads, batch, task.label(), lease.toMillis(), target.options().payloadBytes()));
        }
        return started.awaitReady();
    }

    /** Starts one writer JVM that enqueues batches of {@code batch} on {@code queue} until stopped or killed. */
    static WorkerProcesses produce(BackendUnderTest target, String queue, int batch, WorkerPool.LocalEvents events) {
        WorkerProcesses started = new WorkerProcesses(1, events, ReaderGate.OPEN);
        started.start(new WorkerProcessMain.Order("produce", target.name(), target.config().values(), List.of(queue),
                1, batch, Task.NOOP.label(), 0, target.options().payloadBytes()));
        return started.awaitReady();
    }

    /** The operating-system pid of worker {@code index}. */
    public long pid(int index) {
        return processes.get(index).pid();
    }

    /** Jobs worker {@code index} holds right now: handler runs it reported and has not settled or released. */
    public long holding(int index) {
        return holding.get(index).get();
    }

    /**
     * Jobs ({@code queue/id}) a killed worker had called {@code complete} for without its answer reaching this
     * process: the backend may have completed them, so they are neither redelivered nor known completed.
     */
    public Set<String> unconfirmedCompletes() {
        Set<String> unconfirmed = new java.util.TreeSet<>();
        killed.forEach(i -> unconfirmed.addAll(completing.get(i)));
        return unconfirmed;
    }

    /** SIGKILLs worker {@code index} (no chance to settle what it holds) and waits until it is gone. */
    public void kill(int index) {
        killed.add(index);
        Process process = processes.get(index);
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            readers.get(index).join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ConsumerCounts counts() {
        return counts;
    }

    /** Closes every worker's stdin (it settles what it holds and exits), waits, then kills any that lingers. */
    @Override
    public void close() {
        for (Process process : processes) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
        }
        try {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    processes.get(i).destroyForcibly().waitFor();
                }
                readers.get(i).join(STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
    }

    private void start(WorkerProcessMain.Order order) {
        if (processes.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", classPath(),
                WorkerProcessMain.class.getName());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            OutputStream stdin = process.getOutputStream();
            stdin.write((json(order) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            killAll();
            throw new UncheckedIOException("cannot start a worker process (" + command.getFirst() + ")", e);
        }
        processes.add(process);
        AtomicLong held = new AtomicLong();
        holding.add(held);
        Set<String> pending = ConcurrentHashMap.newKeySet();
        completing.add(pending);
        int index = processes.size() - 1;
        readers.add(Thread.ofPlatform().name("qb-worker-process-" + processes.size()).daemon(true)
                .start(() -> read(index, process, held, pending)));
    }

    private WorkerProcesses awaitReady() {
        try {
            boolean allReady = ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!allReady || processes.stream().anyMatch(p -> !p.isAlive())) {
                close();
                throw new BackendUnavailableException("a worker process could not open the backend: "
                        + (counts.firstError() == null ? "no answer within " + START_TIMEOUT.toSeconds() + " s"
                                : counts.firstError()), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
        return this;
    }

    /** Feeds one worker's lines into the ledger until its stdout ends (it exited or was killed). */
    private void read(int index, Process process, AtomicLong held, Set<String> pending) {
        boolean sawReady = false;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals("READY")) {
                    sawReady = true;
                    ready.countDown();
                } else {
                    handle(line.split("\t", -1), held, pending);
                }
                if (sawReady) {
                    gate.pass(index);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the worker was killed mid-line: what it reported before stands
        } finally {
            if (!sawReady) {
                ready.countDown(); // a worker that died before READY must not keep awaitReady waiting
            }
        }
    }

    private void handle(String[] f, AtomicLong held, Set<String> pending) {
        switch (f[0]) {
            case "R" -> {
                events.started(job(f, micros(f[4])), new Payload(Long.parseLong(f[5]), Payload.Behaviour.SUCCEED),
                        Long.parseLong(f[6]), micros(f[7]));
                held.incrementAndGet();
            }
            case "F" -> {
                events.released(job(f, null), micros(f[4]));
                held.decrementAndGet();
            }
            case "A" -> pending.add(f[1] + "/" + f[2]);
            case "C" -> {
                events.completed(job(f, null));
                held.decrementAndGet();
                pending.remove(f[1] + "/" + f[2]);
            }
            case "D" -> events.dead(job(f, null)); // always follows its F
            case "N" -> events.ledger().enqueued(f[1], Arrays.asList(f[2].split(",")));
            case "X" -> counts.refusedCompletes(Long.parseLong(f[1]));
            case "S" -> counts.staleCompletesAccepted(Long.parseLong(f[1]));
            case "E" -> counts.error(Long.parseLong(f[1]), f[2]);
            default -> counts.error(0, "unexpected line from a worker process: " + String.join(" ", f));
        }
    }

    private static ClaimedJob job(String[] f, Instant leaseExpiresAt) {
        return new ClaimedJob(f[2], f[1], new byte[0], 0, Integer.parseInt(f[3]), 0, null, leaseExpiresAt, null);
    }

    private static Instant micros(String epochMicros) {
        long micros = Long.parseLong(epochMicros);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    private void killAll() {
        processes.forEach(Process::destroyForcibly);
    }

    /**
     * This suite's class path: the URLs of the context class loader where it is a {@link URLClassLoader} (under
     * {@code exec:java}, where {@code java.class.path} is Maven's launcher), else {@code java.class.path} (the
     * shaded jar, or Surefire's).
     */
    static String classPath() {
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
