package dev.queuebench.nats;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.QueueException;
import io.nats.client.JetStreamApiException;

/** Turns client exceptions into the {@link QueueException} hierarchy, naming the server's address (no password). */
final class NatsErrors {
    /** JetStream's error codes for a stream or consumer that does not exist (deleted behind the backend's back). */
    static final int STREAM_NOT_FOUND = 10059;
    static final int CONSUMER_NOT_FOUND = 10014;
    /** JetStream's error code for a message sequence that holds no message (deleted or never stored). */
    static final int NO_MESSAGE_FOUND = 10037;
    private static final String HINT = "is nats-server running with JetStream (-js)? check 'url'";

    private NatsErrors() {}

    /** The exception to throw for a failure while {@code doing} something. */
    static QueueException translate(Exception e, NatsConfig config, String doing) {
        if (e instanceof QueueException queueException) {
            return queueException;
        }
        if (e instanceof JetStreamApiException api) {
            return new QueueException("NATS JetStream at " + config.redactedUrl() + " refused " + doing + ": "
                    + api.getErrorDescription() + " (JetStream error " + api.getApiErrorCode() + ")", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return unreachable(config, doing, e);
    }

    /** The server did not answer while {@code doing} something. */
    static BackendUnavailableException unreachable(NatsConfig config, String doing, Exception cause) {
        String detail = cause == null ? "no answer within 'requestTimeout' (" + config.requestTimeout() + ")"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new BackendUnavailableException("cannot reach NATS at " + config.redactedUrl() + " while " + doing
                + ": " + detail + "; " + HINT, cause);
    }
}
