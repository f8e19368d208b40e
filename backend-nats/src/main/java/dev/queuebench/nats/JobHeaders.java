package dev.queuebench.nats;

import io.nats.client.impl.Headers;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a job message carries besides its payload, as message headers. The same job may travel as several messages
 * (delayed, then ready; dead, then requeued): every copy carries its id and how many attempts earlier copies used,
 * so the attempt of a delivery is {@code attemptsBefore} plus the server's delivery count.
 *
 * @param id             {@code null} on a job's first message, whose id then comes from its stream sequence
 * @param attemptsBefore attempts used by earlier messages of this job
 * @param runAt          on a delayed job, when it may run; else {@code null}
 * @param lastError      on a dead job, the error of its last attempt; else {@code null}
 * @param parts          when the payload travels in parts ({@link PayloadParts}), their reference; else {@code null}
 */
record JobHeaders(String id, Instant enqueuedAt, int priority, int maxAttempts, int attemptsBefore, Instant runAt,
        String lastError, String parts) {
    private static final String ID = "QB-Id";
    private static final String ENQUEUED_AT = "QB-Enqueued-At";
    private static final String PRIORITY = "QB-Priority";
    private static final String MAX_ATTEMPTS = "QB-Max-Attempts";
    private static final String ATTEMPTS_BEFORE = "QB-Attempts-Before";
    private static final String RUN_AT = "QB-Run-At";
    private static final String LAST_ERROR = "QB-Last-Error";
    private static final String PARTS = "QB-Parts";
    /** JetStream stores a message once per id within the stream's duplicate window. */
    private static final String MSG_ID = "Nats-Msg-Id";

    /** The headers of this job, with {@code dedupId} as the server's deduplication id when not null. */
    Headers toHeaders(String dedupId) {
        Headers headers = new Headers()
                .put(ENQUEUED_AT, Long.toString(enqueuedAt.toEpochMilli()))
                .put(PRIORITY, Integer.toString(priority))
                .put(MAX_ATTEMPTS, Integer.toString(maxAttempts))
                .put(ATTEMPTS_BEFORE, Integer.toString(attemptsBefore));
        if (id != null) {
            headers.put(ID, id);
        }
        if (runAt != null) {
            headers.put(RUN_AT, Long.toString(runAt.toEpochMilli()));
        }
        if (lastError != null) {
            headers.put(LAST_ERROR, URLEncoder.encode(lastError, StandardCharsets.UTF_8));
        }
        if (parts != null) {
            headers.put(PARTS, parts);
        }
        if (dedupId != null) {
            headers.put(MSG_ID, dedupId);
        }
        return headers;
    }

    /** The job a message with {@code headers} carries; {@code idIfNone} when the headers name no id. */
    static JobHeaders read(Headers headers, String idIfNone) {
        String id = headers.getFirst(ID);
        String runAt = headers.getFirst(RUN_AT);
        String error = headers.getFirst(LAST_ERROR);
        return new JobHeaders(
                id == null ? idIfNone : id,
                Instant.ofEpochMilli(Long.parseLong(headers.getFirst(ENQUEUED_AT))),
                Integer.parseInt(headers.getFirst(PRIORITY)),
                Integer.parseInt(headers.getFirst(MAX_ATTEMPTS)),
                Integer.parseInt(headers.getFirst(ATTEMPTS_BEFORE)),
                runAt == null ? null : Instant.ofEpochMilli(Long.parseLong(runAt)),
                error == null ? null : URLDecoder.decode(error, StandardCharsets.UTF_8),
                headers.getFirst(PARTS));
    }

    /** The same job, due now. */
    JobHeaders ready() {
        return new JobHeaders(id, enqueuedAt, priority, maxAttempts, attemptsBefore, null, null, parts);
    }

    /** The same job, dead after {@code attempts} attempts, the last failing with {@code error}. */
    JobHeaders dead(int attempts, String error) {
        return new JobHeaders(id, enqueuedAt, priority, maxAttempts, attempts, null, error, parts);
    }

    /** The same job, ready again with its attempts reset. */
    JobHeaders requeued() {
        return new JobHeaders(id, enqueuedAt, priority, maxAttempts, 0, null, null, parts);
    }
}
