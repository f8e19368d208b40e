package dev.queuebench.api;

/** A payload above {@link Capabilities#maxPayloadBytes()}; nothing was written. */
public class JobTooLargeException extends QueueException {
    public JobTooLargeException(int payloadBytes, int maxPayloadBytes) {
        super("payload of " + payloadBytes + " bytes exceeds the backend's limit of " + maxPayloadBytes + " bytes");
    }
}
