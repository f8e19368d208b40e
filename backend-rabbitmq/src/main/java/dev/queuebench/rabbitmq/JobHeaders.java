package dev.queuebench.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a message carries besides the payload, as AMQP headers; the job id is also the message id.
 *
 * @param attemptsBefore attempts used by earlier copies of the job (a retry or a redelivery is published anew)
 * @param lastError      the last attempt's error, on dead letters; else null
 */
record JobHeaders(String id, Instant enqueuedAt, int priority, int maxAttempts, int attemptsBefore,
        String lastError) {
    private static final String ENQUEUED_AT = "qb-enqueued-at";
    private static final String PRIORITY = "qb-priority";
    private static final String MAX_ATTEMPTS = "qb-max-attempts";
    private static final String ATTEMPTS = "qb-attempts";
    private static final String ERROR = "qb-error";
    /** Set by quorum queues: how often the message went back to the queue (a lost channel, a requeue). */
    private static final String DELIVERY_COUNT = "x-delivery-count";

    /** The headers of a message. */
    static JobHeaders read(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        Object error = headers.get(ERROR);
        return new JobHeaders(properties.getMessageId(), Instant.ofEpochMilli(number(headers, ENQUEUED_AT, 0)),
                (int) number(headers, PRIORITY, 0), (int) number(headers, MAX_ATTEMPTS, 1),
                (int) number(headers, ATTEMPTS, 0), error == null ? null : error.toString());
    }

    /**
     * The attempt a delivery is: the attempts of earlier copies plus one, plus each time the broker gave this copy
     * back after a holder was lost (quorum: x-delivery-count; classic: only whether it was redelivered at all).
     */
    int attemptOf(AMQP.BasicProperties properties, Envelope envelope) {
        return attemptsBefore + 1 + returns(properties, envelope);
    }

    /** How often the broker gave this copy back after its holder was lost (classic queues: 1 at most). */
    static int returns(AMQP.BasicProperties properties, Envelope envelope) {
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        long returned = number(headers, DELIVERY_COUNT, -1);
        if (returned < 0) {
            returned = envelope.isRedeliver() ? 1 : 0;
        }
        return (int) returned;
    }

    /** The same job after {@code attempts} attempts, to publish again (retry or lease expiry). */
    JobHeaders after(int attempts) {
        return new JobHeaders(id, enqueuedAt, priority, maxAttempts, attempts, null);
    }

    /** The job as a dead letter after {@code attempts} attempts, the last failing with {@code error}. */
    JobHeaders dead(int attempts, String error) {
        return new JobHeaders(id, enqueuedAt, priority, maxAttempts, attempts, error == null ? "" : error);
    }

    /** The properties to publish with: persistent, with the id as message id. */
    AMQP.BasicProperties properties(String expirationMillis) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(ENQUEUED_AT, enqueuedAt.toEpochMilli());
        headers.put(PRIORITY, priority);
        headers.put(MAX_ATTEMPTS, maxAttempts);
        headers.put(ATTEMPTS, attemptsBefore);
        if (lastError != null) {
            headers.put(ERROR, lastError);
        }
        return new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).headers(headers)
                .expiration(expirationMillis).build();
    }

    private static long number(Map<String, Object> headers, String name, long fallback) {
        return headers.get(name) instanceof Number n ? n.longValue() : fallback;
    }
}
