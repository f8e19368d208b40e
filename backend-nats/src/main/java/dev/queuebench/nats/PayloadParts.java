package dev.queuebench.nats;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.PurgeOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Payloads larger than one message may carry (the server's {@code max_payload}, 1 MiB by default, headers included)
 * travel in parts: each part a message of the queue's parts stream on a subject of its own
 * ({@code <prefix>.<queue>.parts.<uuid>.<index>}), and the job message carries {@code <uuid>:<count>} in place of
 * the payload. The parts go when the job completes or its queue is purged; a dead job keeps them for requeuing.
 */
final class PayloadParts {
    private PayloadParts() {}

    /** Stores {@code payload} in parts of at most {@code partBytes}; returns the reference the job carries. */
    static String store(JetStream jetStream, QueueStreams streams, byte[] payload, int partBytes)
            throws IOException, JetStreamApiException {
        String id = UUID.randomUUID().toString();
        int count = (payload.length + partBytes - 1) / partBytes;
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(payload, i * partBytes, Math.min(payload.length, (i + 1) * partBytes));
            jetStream.publish(streams.partsSubject(id) + "." + i, part);
        }
        return id + ":" + count;
    }

    /** The payload a reference names, read part by part. */
    static byte[] load(JetStreamManagement management, QueueStreams streams, String reference)
            throws IOException, JetStreamApiException {
        String[] idAndCount = reference.split(":", 2);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < Integer.parseInt(idAndCount[1]); i++) {
            MessageInfo part =
                    management.getLastMessage(streams.parts(), streams.partsSubject(idAndCount[0]) + "." + i);
            payload.writeBytes(part.getData() == null ? new byte[0] : part.getData());
        }
        return payload.toByteArray();
    }

    /** Removes the parts a reference names. */
    static void delete(JetStreamManagement management, QueueStreams streams, String reference)
            throws IOException, JetStreamApiException {
        String id = reference.split(":", 2)[0];
        management.purgeStream(streams.parts(), PurgeOptions.subject(streams.partsSubject(id) + ".>"));
    }
}
