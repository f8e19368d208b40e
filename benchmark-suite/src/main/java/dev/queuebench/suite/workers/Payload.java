package dev.queuebench.suite.workers;

import java.nio.ByteBuffer;

/**
 * What the harness writes into a job's payload: the job's intended enqueue time ({@link System#nanoTime()} of this
 * process) and how its handler behaves, padded to the requested size.
 *
 * @param intendedNanos when the producer meant to enqueue the job; latency is measured from here
 * @param behaviour     whether the handler completes the job or fails it
 */
public record Payload(long intendedNanos, Behaviour behaviour) {
    /** Bytes the header takes; the smallest payload the harness writes. */
    public static final int HEADER_BYTES = 9;

    /** How the handler treats a job. */
    public enum Behaviour {
        /** Completes on the first attempt. */
        SUCCEED,
        /** Fails its first attempt, then completes: exercises retries. */
        FAIL_ONCE,
        /** Fails every attempt: ends dead, exercises dead letters. */
        FAIL_ALWAYS,
        /**
         * Its first attempt's handler outlasts the lease, then completes (fenced: answered false); later ones are
         * fast.
         */
        SLOW_ONCE
    }

    /** The payload bytes, {@code size} long (at least {@link #HEADER_BYTES}). */
    public byte[] encode(int size) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(size, HEADER_BYTES));
        buffer.putLong(intendedNanos).put((byte) behaviour.ordinal());
        return buffer.array();
    }

    /** Reads the header back from a payload the harness wrote. */
    public static Payload decode(byte[] payload) {
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        return new Payload(buffer.getLong(), Behaviour.values()[buffer.get()]);
    }
}
