package dev.queuebench.suite.conformance;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How one clause of the kit ended against one backend/strategy.
 *
 * @param capability for a skip, the declared capability the kit's assumption names ({@code Feature.FENCING},
 *                   {@code Ordering.ORDER_BEST_EFFORT}, {@code Durability.PROCESS}), or null when it names none
 * @param message    for a skip, the kit's reason; for a failure, what was thrown, first line only; else null
 */
record ClauseResult(Verdict verdict, String capability, String message, long durationMs) {

    /** Passed, skipped by the kit's own assumption, or failed. */
    enum Verdict { PASSED, SKIPPED, FAILED }

    static ClauseResult passed(long durationMs) {
        return new ClauseResult(Verdict.PASSED, null, null, durationMs);
    }

    /** A skip with the kit's reason and the capability that reason names, if any. */
    static ClauseResult skipped(String reason, long durationMs) {
        return new ClauseResult(Verdict.SKIPPED, capabilityNamed(reason).orElse(null), reason, durationMs);
    }

    /** A failure: the class of what was thrown and the first non-blank line of its message. */
    static ClauseResult failed(Throwable thrown, long durationMs) {
        String first = thrown.getMessage() == null ? "" : thrown.getMessage().lines()
                .map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return new ClauseResult(Verdict.FAILED, null, (thrown.getClass().getSimpleName() + ": " + first).strip(),
                durationMs);
    }

    /** The Feature, Ordering or Durability constant {@code reason} names as a word, e.g. {@code Feature.FENCING}. */
    static Optional<String> capabilityNamed(String reason) {
        return Stream.of(Feature.values(), Ordering.values(), Durability.values())
                .flatMap(Arrays::stream)
                .filter(c -> reason.matches("(?s).*\\b" + c.name() + "\\b.*"))
                .map(c -> c.getDeclaringClass().getSimpleName() + "." + c.name())
                .findFirst();
    }
}
