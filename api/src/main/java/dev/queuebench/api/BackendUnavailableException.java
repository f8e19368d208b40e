package dev.queuebench.api;

/** The server cannot be reached or was lost; the message names the address (password redacted) and a hint. */
public class BackendUnavailableException extends QueueException {
    public BackendUnavailableException(String message, Throwable cause) {
        super(Secrets.redact(message), cause);
    }
}
