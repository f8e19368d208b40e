package dev.queuebench.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The names and definitions of one queue's four streams, all file-stored: {@code work} (work-queue retention, the
 * jobs that may run now, read by the durable pull consumer {@code workers}), {@code delayed} (work-queue retention,
 * jobs whose run-at lies ahead, read by the consumer {@code mover}), {@code dead} (limits retention, the dead
 * letters, read by sequence) and {@code parts} (limits retention, large payloads in parts, see
 * {@link PayloadParts}), each with the configured replicas (the consumers inherit them). Queue names map onto
 * stream names one to one: {@code _} becomes {@code _u} and {@code .} becomes {@code _d}, and the suffixes start
 * with {@code _x}, which no queue name produces.
 *
 * @param subject the first tokens of every subject of the queue: {@code <prefix>.<queue>}
 */
record QueueStreams(String queue, String work, String delayed, String dead, String parts, String subject) {
    static final String WORKERS = "workers";
    static final String MOVER = "mover";
    /** Publishes within this window with the same {@code Nats-Msg-Id} are stored once. */
    private static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
    /** JetStream's error code for a stream name that exists with another configuration. */
    private static final int NAME_IN_USE = 10058;
    /** JetStream's error code for a consumer that exists with another configuration. */
    private static final int CONSUMER_EXISTS = 10148;

    /** The streams of {@code queue} under {@code prefix}. */
    static QueueStreams of(String prefix, String queue) {
        String encoded = queue.replace("_", "_u").replace(".", "_d");
        String stream = prefix + "_" + encoded;
        String subject = prefix + "." + encoded;
        return new QueueStreams(queue, stream, stream + "_xdelayed", stream + "_xdead", stream + "_xparts",
                subject);
    }

    String workSubject() {
        return subject + ".jobs";
    }

    String delayedSubject() {
        return subject + ".delayed";
    }

    String deadSubject() {
        return subject + ".dead";
    }

    /** The subject of every part of one payload: {@code .<index>} follows. */
    String partsSubject(String partsId) {
        return subject + ".parts." + partsId;
    }

    /**
     * Creates the streams and consumers that do not exist yet, leaving existing ones as they are, each stream with
     * its consumer at once beside the others (two round trips, not six: under CPU load each costs tens to hundreds
     * of milliseconds); true when the delayed stream held no job once it existed.
     */
    boolean create(JetStreamManagement jsm, NatsConfig config) throws IOException, JetStreamApiException {
        int replicas = config.replicas();
        try (ExecutorService creating = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<StreamInfo> workStream = creating.submit(() -> {
                StreamInfo info = addStream(jsm, stream(work, workSubject(), RetentionPolicy.WorkQueue, replicas));
                addConsumer(jsm, work, workers(config));
                return info;
            });
            Future<StreamInfo> delayedStream = creating.submit(() -> {
                StreamInfo info = addStream(jsm, stream(delayed, delayedSubject(), RetentionPolicy.WorkQueue,
                        replicas));
                addConsumer(jsm, delayed, mover(config));
                return info;
            });
            Future<StreamInfo> deadStream = creating.submit(() ->
                    addStream(jsm, stream(dead, deadSubject(), RetentionPolicy.Limits, replicas)));
            Future<StreamInfo> partsStream = creating.submit(() ->
                    addStream(jsm, stream(parts, subject + ".parts.>", RetentionPolicy.Limits, replicas)));
            StreamInfo delayedInfo = outcome(delayedStream);
            outcome(workStream);
            outcome(deadStream);
            outcome(partsStream);
            return delayedInfo != null && delayedInfo.getStreamState().getMsgCount() == 0;
        }
    }

    private static ConsumerConfiguration workers(NatsConfig config) {
        return ConsumerConfiguration.builder()
                .durable(WORKERS)
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .ackWait(config.ackWait())
                .maxDeliver(config.maxDeliver())
                .maxAckPending(config.maxAckPending())
                .maxPullWaiting(4096)
                .build();
    }

    private static ConsumerConfiguration mover(NatsConfig config) {
        return ConsumerConfiguration.builder()
                .durable(MOVER)
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .ackWait(config.ackWait())
                .maxDeliver(-1)
                .maxAckPending(-1)
                .build();
    }

    /** What one creation returned, its failure rethrown as thrown. */
    private static <T> T outcome(Future<T> creation) throws IOException, JetStreamApiException {
        try {
            return creation.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating streams", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case JetStreamApiException api -> throw api;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    private static StreamConfiguration stream(String name, String subject, RetentionPolicy retention,
            int replicas) {
        return StreamConfiguration.builder()
                .name(name)
                .subjects(subject)
                .retentionPolicy(retention)
                .storageType(StorageType.File)
                .discardPolicy(DiscardPolicy.New)
                .duplicateWindow(DUPLICATE_WINDOW)
                .replicas(replicas)
                .build();
    }

    /** The stream as created (or found with the same definition); null when it exists with another one. */
    private static StreamInfo addStream(JetStreamManagement jsm, StreamConfiguration stream)
            throws IOException, JetStreamApiException {
        try {
            return jsm.addStream(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != NAME_IN_USE) {
                throw e;
            }
            return null;
        }
    }

    private static void addConsumer(JetStreamManagement jsm, String stream, ConsumerConfiguration consumer)
            throws IOException, JetStreamApiException {
        try {
            jsm.createConsumer(stream, consumer);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != NAME_IN_USE && e.getApiErrorCode() != CONSUMER_EXISTS) {
                throw e;
            }
        }
    }
}
