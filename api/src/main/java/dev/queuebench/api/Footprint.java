package dev.queuebench.api;

import java.util.Map;

/**
 * What the backend's own storage costs right now, as named figures, e.g. {@code table_bytes}, {@code dead_tuples},
 * {@code used_memory_bytes}, {@code wal_bytes}. Names are snake_case; sizes end in {@code _bytes}.
 */
public record Footprint(Map<String, Long> figures) {
    public Footprint {
        figures = Map.copyOf(figures);
    }

    public static Footprint of(Map<String, Long> figures) {
        return new Footprint(figures);
    }
}
