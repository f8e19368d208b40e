package dev.queuebench.suite.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The ids of one queue's jobs the {@link Ledger} retired (completed at their first attempt in a single run). An id
 * written as a non-negative decimal number ({@link #number}) is one bit, in blocks of 65,536 consecutive ids, and is
 * told apart exactly. Any other id (a UUID, a stream offset with a prefix, ...) is a 64-bit fingerprint in
 * {@link RetiredFingerprints}, 11 to 22 bytes whatever its length: an id never retired is taken for a retired one only
 * when its fingerprint equals a retired id's, for N distinct ids with probability at most N(N-1)/2<sup>65</sup>
 * over the whole run (see {@link RetiredFingerprints}). Either way a sustained run's book grows by a few bytes per
 * job at most, and {@link #bytes()} says exactly how many. Thread-safe.
 */
final class RetiredIds {
    private static final int BLOCK_SHIFT = 16;
    private static final int BLOCK_MASK = (1 << BLOCK_SHIFT) - 1;
    private static final int BLOCK_LONGS = (BLOCK_MASK + 1) / Long.SIZE;
    private final Map<Long, long[]> blocks = new HashMap<>();
    private final RetiredFingerprints fingerprints = new RetiredFingerprints();

    /** The id as a number when it is written exactly as {@link Long#toString} writes a non-negative one. */
    static OptionalLong number(String id) {
        if (id.isEmpty() || id.length() > 18 || (id.length() > 1 && id.charAt(0) == '0')) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(id));
    }

    /** Marks {@code id} retired. */
    void add(String id) {
        OptionalLong number = number(id);
        if (number.isPresent()) {
            add(number.getAsLong());
        } else {
            long fingerprint = RetiredFingerprints.of(id);
            synchronized (this) {
                fingerprints.add(fingerprint);
            }
        }
    }

    /** True when {@code id} was retired (or, for an id not decimal, shares a retired id's fingerprint). */
    boolean contains(String id) {
        OptionalLong number = number(id);
        if (number.isPresent()) {
            return contains(number.getAsLong());
        }
        long fingerprint = RetiredFingerprints.of(id);
        synchronized (this) {
            return fingerprints.contains(fingerprint);
        }
    }

    /** Bytes of the bit blocks and the fingerprint table (arrays with their headers; the map's nodes left out). */
    synchronized long bytes() {
        return blocks.size() * (16L + 8L * BLOCK_LONGS) + fingerprints.bytes();
    }

    private synchronized void add(long id) {
        long[] block = blocks.computeIfAbsent(id >>> BLOCK_SHIFT, b -> new long[BLOCK_LONGS]);
        int bit = (int) (id & BLOCK_MASK);
        block[bit >>> 6] |= 1L << bit;
    }

    private synchronized boolean contains(long id) {
        long[] block = blocks.get(id >>> BLOCK_SHIFT);
        int bit = (int) (id & BLOCK_MASK);
        return block != null && (block[bit >>> 6] & 1L << bit) != 0;
    }
}
