package dev.queuebench.suite.run;

import java.io.Console;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shows what the run is doing once a second: phase, jobs done of the phase's total, the rate over the last second
 * and an ETA. On a terminal it rewrites one line with {@code \r}; otherwise (CI, a pipe) it prints plain lines.
 * Thread-safe: workers call {@link #advance} while a daemon thread prints.
 */
public final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final ScheduledExecutorService ticker;
    private final AtomicReference<Phase> phase = new AtomicReference<>();
    private final AtomicLong done = new AtomicLong();
    private long lastDone;
    private long lastNanos = System.nanoTime();
    private boolean lineOpen;

    private record Phase(String name, long total, long startNanos) {}

    /**
     * Prints to {@code out} every {@code periodMillis}, and alarms to {@code err}; {@code terminal} picks one
     * rewritten line or plain lines.
     */
    public Progress(PrintStream out, PrintStream err, boolean terminal, long periodMillis) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queuebench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::print, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Progress on standard output, one line a second, rewritten in place when a terminal is attached. */
    public static Progress toStdout(PrintStream err) {
        return new Progress(System.out, err, isTerminal(), 1000);
    }

    /** Starts a phase of {@code total} jobs (0 when unknown); the count starts again from zero. */
    public void begin(String name, long total) {
        synchronized (this) {
            done.set(0);
            lastDone = 0;
            lastNanos = System.nanoTime();
        }
        phase.set(new Phase(name, total, System.nanoTime()));
    }

    /** Counts {@code jobs} more done in the current phase. */
    public void advance(long jobs) {
        done.addAndGet(jobs);
    }

    /** Prints a finished line (e.g. a case's result), keeping the progress line below it on a terminal. */
    public synchronized void println(String line) {
        if (lineOpen) {
            out.print("\r\033[2K");
            lineOpen = false;
        }
        out.println(line);
        out.flush();
    }

    /** Prints lines nobody should miss (a loss) on the error stream, framed by rules. */
    public synchronized void alarm(List<String> lines) {
        println("");
        String rule = "!".repeat(100);
        err.println(rule);
        lines.forEach(line -> err.println("!!! " + line));
        err.println(rule);
        err.flush();
    }

    /** Ends the phase; nothing is printed until the next {@link #begin}. */
    public void end() {
        phase.set(null);
        synchronized (this) {
            if (lineOpen) {
                out.print("\r\033[2K");
                out.flush();
                lineOpen = false;
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        end();
    }

    private synchronized void print() {
        Phase current = phase.get();
        if (current == null) {
            return;
        }
        long now = System.nanoTime();
        long count = done.get();
        double rate = (count - lastDone) * 1e9 / Math.max(1, now - lastNanos);
        lastDone = count;
        lastNanos = now;
        double average = count * 1e9 / Math.max(1, now - current.startNanos());
        String eta = current.total() > 0 && average > 0
                ? String.format(Locale.ROOT, ", ETA %.0f s", Math.max(0, current.total() - count) / average)
                : "";
        String total = current.total() > 0 ? String.format(Locale.ROOT, "/%,d", current.total()) : "";
        String line = String.format(Locale.ROOT, "  %s: %,d%s jobs, %,.0f jobs/s%s",
                current.name(), count, total, rate, eta);
        if (terminal) {
            out.print("\r\033[2K" + line);
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * True when standard output is a terminal. JDK 22+ returns a console even when output is redirected and says so
     * through {@code Console.isTerminal()}, which a release-21 build can only call reflectively.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only when attached to a terminal
        }
    }
}
