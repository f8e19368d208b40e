package dev.queuebench.suite.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of 64-bit fingerprints of job ids, one {@code long} slot each in an open-addressing table (linear probing,
 * at most three quarters full, doubled when it would be more): 11 to 22 bytes per id plus a fixed header, whatever
 * the id's length or form. The fingerprint of an id is the first 64 bits of the SHA-256 of its UTF-8 bytes
 * ({@link #of}), so for ids not chosen to defeat SHA-256 any two distinct ids share a fingerprint with probability
 * 2<sup>-64</sup>: among N distinct ids, the chance that any two collide is at most N(N-1)/2<sup>65</sup> (about
 * 2.7e-8 for a million ids, 2.7e-4 for 100 million). Not thread-safe: {@link RetiredIds} guards it.
 */
final class RetiredFingerprints {
    private static final int FIRST_CAPACITY = 1 << 10;
    /** Slot value of an empty slot; the fingerprint 0 is kept apart in {@link #hasZero}. */
    private static final long EMPTY = 0;
    private long[] slots = new long[FIRST_CAPACITY];
    private int size;
    private boolean hasZero;

    /** The fingerprint of {@code id}: the first 8 bytes of SHA-256 over its UTF-8 encoding, big-endian. */
    static long of(String id) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long fingerprint = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            fingerprint = fingerprint << 8 | (digest[i] & 0xFF);
        }
        return fingerprint;
    }

    /** Adds {@code fingerprint}; true when it was not in the set. */
    boolean add(long fingerprint) {
        if (fingerprint == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if (4L * (size + 1) > 3L * slots.length) {
            grow();
        }
        boolean added = insert(slots, fingerprint);
        size += added ? 1 : 0;
        return added;
    }

    /** True when {@code fingerprint} is in the set. */
    boolean contains(long fingerprint) {
        if (fingerprint == EMPTY) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = slot(fingerprint, mask); ; i = (i + 1) & mask) {
            long held = slots[i];
            if (held == fingerprint) {
                return true;
            }
            if (held == EMPTY) {
                return false;
            }
        }
    }

    /** Fingerprints held. */
    int size() {
        return size;
    }

    /** Bytes of the table's array, header included (16 bytes on a 64-bit JVM). */
    long bytes() {
        return 16L + 8L * slots.length;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        for (long held : slots) {
            if (held != EMPTY) {
                insert(larger, held);
            }
        }
        slots = larger;
    }

    private static boolean insert(long[] table, long fingerprint) {
        int mask = table.length - 1;
        for (int i = slot(fingerprint, mask); ; i = (i + 1) & mask) {
            if (table[i] == fingerprint) {
                return false;
            }
            if (table[i] == EMPTY) {
                table[i] = fingerprint;
                return true;
            }
        }
    }

    /** The home slot: the fingerprint's bits are uniform already, their high half spreads over any table size. */
    private static int slot(long fingerprint, int mask) {
        return (int) (fingerprint ^ fingerprint >>> 32) & mask;
    }
}
