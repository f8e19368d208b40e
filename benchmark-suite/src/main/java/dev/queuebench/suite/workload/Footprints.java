package dev.queuebench.suite.workload;

import java.util.List;
import java.util.Map;

/**
 * One comparable figure from the different {@code footprint()} maps of the backends: the bytes they hold for the
 * queues. Each backend names its own figures; this list says which of them are bytes of queue data.
 */
public final class Footprints {
    /** The figures summed, as each backend names them. */
    static final List<String> BYTE_FIGURES = List.of("table_bytes", "index_bytes", "used_memory_bytes",
            "database_bytes", "wal_bytes", "payload_bytes");

    /** How the figure is made, for captions and caveats. */
    public static final String DEFINITION = "PostgreSQL table + index bytes, Redis used_memory (the whole server),"
            + " SQLite database + WAL file bytes, the memory backend's payload bytes";

    private Footprints() {}

    /** The sum of the {@link #BYTE_FIGURES} present in {@code footprint}. */
    public static long bytes(Map<String, Long> footprint) {
        return BYTE_FIGURES.stream().mapToLong(k -> footprint.getOrDefault(k, 0L)).sum();
    }
}
