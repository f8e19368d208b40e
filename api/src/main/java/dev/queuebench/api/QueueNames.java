package dev.queuebench.api;

import java.util.regex.Pattern;

/** The one rule for queue names: {@code [A-Za-z0-9_.-]{1,64}}, so they can stand in keys and SQL safely. */
public final class QueueNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private QueueNames() {}

    /** Returns the name, or throws {@link InvalidQueueNameException} naming the rule. */
    public static String requireValid(String queue) {
        if (queue == null || !VALID.matcher(queue).matches()) {
            String shown = queue == null ? "null"
                    : "'" + (queue.length() > 80 ? queue.substring(0, 80) + "…" : queue) + "'";
            throw new InvalidQueueNameException(
                    "invalid queue name " + shown + ": use 1 to 64 of A-Z a-z 0-9 _ . -");
        }
        return queue;
    }
}
