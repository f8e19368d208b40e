package dev.queuebench.suite.workload;

import dev.queuebench.api.Footprint;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The one figure comparable across the backends' different {@code footprint()} maps: {@link Footprint#STORED_BYTES},
 * the bytes a backend's storage holds for its queues as the backend itself counts them. A backend that cannot tell
 * has none, and is left out of the footprint figures rather than shown as empty.
 */
public final class Footprints {
    /** How the figure is made, for captions and caveats. */
    public static final String DEFINITION = "each backend's own stored_bytes figure (its README says what it counts;"
            + " a backend that cannot tell is left out)";

    private Footprints() {}

    /** The stored bytes in {@code footprint}, empty when the backend did not give them. */
    public static OptionalLong bytes(Map<String, Long> footprint) {
        Long bytes = footprint.get(Footprint.STORED_BYTES);
        return bytes == null ? OptionalLong.empty() : OptionalLong.of(bytes);
    }
}
