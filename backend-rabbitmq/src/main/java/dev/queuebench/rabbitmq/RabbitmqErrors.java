package dev.queuebench.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.ShutdownSignalException;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.QueueException;
import java.io.IOException;

/** Turns client exceptions into the {@link QueueException} hierarchy, naming the broker's address (no password). */
final class RabbitmqErrors {
    private static final String HINT = "is rabbitmq-server running and does 'url' name it (user, password, vhost)?";

    private RabbitmqErrors() {}

    /** The exception to throw for a failure while {@code doing} something. */
    static QueueException translate(Exception e, RabbitmqConfig config, String doing) {
        if (e instanceof QueueException queueException) {
            return queueException;
        }
        ShutdownSignalException shutdown = shutdownOf(e);
        if (shutdown != null && !shutdown.isHardError() && shutdown.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() != AMQP.CONNECTION_FORCED) {
            return new QueueException("RabbitMQ at " + config.redactedUrl() + " refused " + doing + ": "
                    + close.getReplyText() + " (AMQP " + close.getReplyCode() + ")", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return unreachable(config, doing, e);
    }

    /** The broker did not answer while {@code doing} something. */
    static BackendUnavailableException unreachable(RabbitmqConfig config, String doing, Exception cause) {
        String detail = cause == null ? "no answer within 'requestTimeout' (" + config.requestTimeout() + ")"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new BackendUnavailableException("cannot reach RabbitMQ at " + config.redactedUrl() + " while " + doing
                + ": " + detail + "; " + HINT, cause);
    }

    /** The AMQP close behind an exception, if any. */
    static ShutdownSignalException shutdownOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s) {
                return s;
            }
            if (t instanceof AlreadyClosedException closed) {
                return closed;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** True when the exception says the queue does not exist (404 NOT_FOUND closing the channel). */
    static boolean notFound(Throwable e) {
        ShutdownSignalException s = shutdownOf(e);
        return s != null && s.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.NOT_FOUND;
    }

    /** An I/O failure of a call, as the client reports it. */
    static boolean isIo(Throwable e) {
        return e instanceof IOException;
    }
}
