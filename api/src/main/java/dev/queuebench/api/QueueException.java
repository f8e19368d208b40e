package dev.queuebench.api;

/** Root of every error a backend raises; driver exceptions are only ever the {@link #getCause() cause}. */
public class QueueException extends RuntimeException {
    public QueueException(String message) {
        super(message);
    }

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
