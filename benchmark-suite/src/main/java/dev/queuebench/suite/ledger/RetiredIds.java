package dev.queuebench.suite.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The ids of one queue's jobs the {@link Ledger} retired (completed at their first attempt in a single run), one bit
 * each, in blocks of 65,536 consecutive ids: a sustained run's book stays a few KiB however many jobs pass. Only ids
 * written as non-negative decimal numbers fit ({@link #number}); the others stay in the ledger's map. Thread-safe.
 */
final class RetiredIds {
    private static final int BLOCK_SHIFT = 16;
    private static final int BLOCK_MASK = (1 << BLOCK_SHIFT) - 1;
    private final Map<Long, long[]> blocks = new HashMap<>();

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
    synchronized void add(long id) {
        long[] block = blocks.computeIfAbsent(id >>> BLOCK_SHIFT, b -> new long[(BLOCK_MASK + 1) / Long.SIZE]);
        int bit = (int) (id & BLOCK_MASK);
        block[bit >>> 6] |= 1L << bit;
    }

    /** True when {@code id} was retired. */
    synchronized boolean contains(long id) {
        long[] block = blocks.get(id >>> BLOCK_SHIFT);
        int bit = (int) (id & BLOCK_MASK);
        return block != null && (block[bit >>> 6] & 1L << bit) != 0;
    }
}
