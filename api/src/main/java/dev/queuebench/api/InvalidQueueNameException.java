package dev.queuebench.api;

/** A queue name outside {@code [A-Za-z0-9_.-]{1,64}}; raised before any server is touched. */
public class InvalidQueueNameException extends QueueException {
    public InvalidQueueNameException(String message) {
        super(message);
    }
}
