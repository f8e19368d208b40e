package dev.queuebench.suite.workers;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * How {@link WorkerProcesses} reaches one worker JVM: one it started on this host (its pipes), or one an
 * {@link Agent} started for it (a TCP connection). Either way the worker's report arrives as the lines of
 * {@link WorkerProcessMain}'s protocol, and the worker stops when told to or is SIGKILLed.
 */
interface WorkerLink {
    /** The worker's report, line by line, to its end; closing it ends the link. */
    BufferedReader reports();

    /** Asks the worker to stop: it settles what it holds and exits. */
    void stop() throws IOException;

    /** SIGKILLs the worker (no chance to settle), leaving what it already reported to be read. */
    void kill();

    /** Waits up to {@code nanos} for the worker to end; true once it has. */
    boolean waitFor(long nanos) throws InterruptedException;

    /** The worker's exit status once it has ended (-1: its agent's connection ended without one), else empty. */
    OptionalInt exitStatus();

    /** The worker JVM's pid on its host (0 until an agent has told it). */
    long pid();

    /** How far the worker's {@link System#nanoTime()} is ahead of this process's; 0 on this host. */
    default long clockOffsetNanos() {
        return 0;
    }

    /** Where the worker runs, for messages and the report; no configuration value in it. */
    String describe();
}
