package dev.queuebench.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Pull requests on a durable consumer, sent by hand ({@code $JS.API.CONSUMER.MSG.NEXT}) so that a wait may be as
 * short as the contract asks (the client's simplified API wants at least 1 s) and so that every message the server
 * hands out is read: a request is read until its batch is full or the server's end-of-request status arrives (404 no
 * messages, 408 expired, 409 conflict), never abandoned on a client-side timeout while the server may still send.
 */
final class PullRequests {
    /** Extra time granted for the server's end-of-request status to arrive after the request expired. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /**
     * How long a no-wait request may stay with the server. Observed on nats-server 2.9: a {@code no_wait} request
     * without {@code expires}, sent while other pulls race for the last messages, sometimes gets no answer at all
     * (neither a message nor 404), so it is sent with an expiry too and then ends with 408 at worst. Kept short:
     * with an expiry the request may also wait that long for a message.
     */
    private static final Duration NO_WAIT_EXPIRES = Duration.ofMillis(20);
    private static final Duration LOOK_AT_CLOSE = Duration.ofMillis(100);

    private final Connection connection;
    private final BooleanSupplier closed;

    PullRequests(Connection connection, BooleanSupplier closed) {
        this.connection = connection;
        this.closed = closed;
    }

    /**
     * Up to {@code batch} deliveries of {@code consumer} on {@code stream}: what is there now when {@code wait} is
     * zero, else waiting up to {@code wait} for the first. Returns early, dropping nothing it read, when the backend
     * closes.
     */
    List<Delivery> pull(String stream, String consumer, int batch, Duration wait) {
        List<Delivery> deliveries = new ArrayList<>();
        Subscription subscription;
        try {
            subscription = connection.subscribe(connection.createInbox());
        } catch (IllegalStateException e) {
            if (closed.getAsBoolean()) {
                return deliveries; // the backend closed the connection before this pull
            }
            throw e;
        }
        String inbox = subscription.getSubject();
        try {
            Duration expires = wait.isZero() ? NO_WAIT_EXPIRES : wait;
            String request = "{\"batch\":" + batch + ",\"expires\":" + expires.toNanos()
                    + (wait.isZero() ? ",\"no_wait\":true}" : "}");
            connection.publish("$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer, inbox,
                    request.getBytes(StandardCharsets.US_ASCII));
            long giveUp = System.nanoTime() + expires.plus(GRACE).toNanos();
            while (deliveries.size() < batch && !closed.getAsBoolean()) {
                long left = giveUp - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Message message = subscription.nextMessage(Duration.ofNanos(Math.min(left, LOOK_AT_CLOSE.toNanos())));
                if (message == null) {
                    continue;
                }
                if (message.isStatusMessage()) {
                    if (message.getStatus().getCode() == 100) {
                        continue; // idle heartbeat
                    }
                    break; // the request ended: no messages, expired, or a conflict such as too many waiting pulls
                }
                deliveries.add(Delivery.of(message));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            if (!closed.getAsBoolean()) {
                throw e;
            }
            // the backend closed the connection under this pull
        } finally {
            if (subscription.isActive()) {
                subscription.unsubscribe();
            }
        }
        return deliveries;
    }
}
