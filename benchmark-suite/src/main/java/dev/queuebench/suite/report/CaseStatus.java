package dev.queuebench.suite.report;

import java.util.Map;

/**
 * Whether a case ran, and what the run may say about its figures: a typed view of the keys {@link #SKIPPED},
 * {@link #COULD_NOT_RUN}, {@link #VIOLATION} and {@link #LOSS_EXPECTED} in a record's {@code details}, which is how
 * the JSON carries them (so runs written before this type read the same). Only this type reads or writes those keys.
 */
public sealed interface CaseStatus {
    String SKIPPED = "skipped";
    String COULD_NOT_RUN = "could_not_run";
    String VIOLATION = "violation";
    String LOSS_EXPECTED = "loss_expected";

    /** True when jobs lost in this case are allowed by the backend's declared durability (chaos server-restart). */
    default boolean lossExpected() {
        return false;
    }

    /**
     * The case ran to its ledger check.
     *
     * @param lossExpected true only where the backend's declared durability allows a loss
     * @param violation    a rule the case checks beyond loss that it broke (a stale complete accepted, a run while
     *                     another lease was valid), or null
     */
    record Ran(boolean lossExpected, String violation) implements CaseStatus {}

    /** The case does not apply to the backend, and why; it has no figures. */
    record Skipped(String reason) implements CaseStatus {}

    /** The case threw before its figures were complete, and what it threw. */
    record CouldNotRun(String reason) implements CaseStatus {}

    /** The status the {@code details} of a record state. */
    static CaseStatus of(Map<String, Object> details) {
        if (details.get(SKIPPED) instanceof String reason) {
            return new Skipped(reason);
        }
        if (details.get(COULD_NOT_RUN) instanceof String reason) {
            return new CouldNotRun(reason);
        }
        return new Ran(Boolean.TRUE.equals(details.get(LOSS_EXPECTED)),
                details.get(VIOLATION) instanceof String v ? v : null);
    }

    /** Puts this status into {@code details}, as the JSON carries it; {@code loss_expected} only when asked to. */
    default void writeTo(Map<String, Object> details, boolean statesLossExpected) {
        switch (this) {
            case Skipped s -> details.put(SKIPPED, s.reason());
            case CouldNotRun c -> details.put(COULD_NOT_RUN, c.reason());
            case Ran r -> {
                if (statesLossExpected) {
                    details.put(LOSS_EXPECTED, r.lossExpected());
                }
                if (r.violation() != null) {
                    details.put(VIOLATION, r.violation());
                }
            }
        }
    }
}
