package dev.queuebench.api;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What the backend's own storage costs right now, as named figures, e.g. {@code table_bytes}, {@code dead_tuples},
 * {@code used_memory_bytes}, {@code wal_bytes}. Names are snake_case; sizes end in {@code _bytes}. One figure,
 * {@value #STORED_BYTES}, is comparable across backends: the bytes the backend's storage holds for its queues (each
 * backend's README says what it counts); a backend that cannot tell leaves it out.
 */
public record Footprint(Map<String, Long> figures) {
    /** The name of the one figure comparable across backends: bytes stored for the queues. */
    public static final String STORED_BYTES = "stored_bytes";

    public Footprint {
        figures = Map.copyOf(figures);
    }

    public static Footprint of(Map<String, Long> figures) {
        return new Footprint(figures);
    }

    /** The {@value #STORED_BYTES} figure, empty when the backend cannot tell. */
    public OptionalLong storedBytes() {
        Long bytes = figures.get(STORED_BYTES);
        return bytes == null ? OptionalLong.empty() : OptionalLong.of(bytes);
    }
}
