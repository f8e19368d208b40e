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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

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
    /** How long a consumer's creation waits before asking again while the server does not know its stream yet. */
    private static final Duration STREAM_NOT_KNOWN_YET = Duration.ofMillis(5);

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
     * Starts creating the streams and consumers that do not exist yet, leaving existing ones as they are: every step
     * on a thread of its own, at once but for the parts stream, each consumer beside its stream (see
     * {@link Creation}); {@code delayedWasEmpty} runs before the claim's part of the creation completes when the
     * delayed stream held no job once it existed.
     */
    Creation create(JetStreamManagement jsm, NatsConfig config, Runnable delayedWasEmpty) {
        int replicas = config.replicas();
        CompletableFuture<StreamInfo> workStream = step(() ->
                addStream(jsm, stream(work, workSubject(), RetentionPolicy.WorkQueue, replicas)));
        CompletableFuture<StreamInfo> delayedStream = step(() ->
                addStream(jsm, stream(delayed, delayedSubject(), RetentionPolicy.WorkQueue, replicas)));
        CompletableFuture<StreamInfo> workersConsumer = step(() ->
                addConsumerBeside(jsm, work, workers(config), workStream));
        CompletableFuture<StreamInfo> moverConsumer = step(() ->
                addConsumerBeside(jsm, delayed, mover(config), delayedStream));
        CompletableFuture<StreamInfo> deadStream = step(() ->
                addStream(jsm, stream(dead, deadSubject(), RetentionPolicy.Limits, replicas)));
        // the stream only a large payload needs comes after those a claim waits for, not competing with them
        CompletableFuture<StreamInfo> partsStream = CompletableFuture.allOf(workStream, delayedStream, deadStream)
                .handle((done, failure) -> null).thenCompose(done -> step(() ->
                        addStream(jsm, stream(parts, subject + ".parts.>", RetentionPolicy.Limits, replicas))));
        CompletableFuture<QueueStreams> claimable = CompletableFuture.allOf(workStream, delayedStream, deadStream,
                workersConsumer, moverConsumer).thenApply(done -> {
                    StreamInfo delayedInfo = delayedStream.join();
                    if (delayedInfo != null && delayedInfo.getStreamState().getMsgCount() == 0) {
                        delayedWasEmpty.run();
                    }
                    return this;
                });
        CompletableFuture<QueueStreams> all = CompletableFuture.allOf(claimable, partsStream)
                .thenApply(done -> this);
        return new Creation(this, workStream, delayedStream, partsStream, claimable, all);
    }

    /**
     * One queue's creation under way, a future per step a call may wait for: the work stream (to publish a job),
     * the delayed one (to publish a job that runs later), the parts one (a large payload), the five a claim, a
     * settlement or a look uses (work, delayed and dead streams, both consumers) and the whole (to purge). On a
     * cluster every stream and consumer is a Raft group of its own, whose first leader is elected after a random
     * campaign timeout (100 to 800 ms in nats-server 2.9), so one step costs up to about a second there.
     *
     * @param work its value is null when the stream exists with another definition (so for the other streams)
     */
    record Creation(QueueStreams streams, CompletableFuture<StreamInfo> work, CompletableFuture<StreamInfo> delayed,
            CompletableFuture<StreamInfo> parts, CompletableFuture<QueueStreams> claimable,
            CompletableFuture<QueueStreams> all) {
    }

    /** A checked step of a creation. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException, JetStreamApiException;
    }

    /** Runs {@code step} on a virtual thread of its own; its exception completes the future. */
    private static <T> CompletableFuture<T> step(Step<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("nats-create").start(() -> {
            try {
                result.complete(step.run());
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Creates a consumer while its stream is being created rather than after: the server takes the consumer as soon
     * as it knows the stream (before the stream's leader is elected), so the two elections overlap; asks again while
     * the server does not know the stream yet, until the stream's creation ended. Returns null.
     */
    private static StreamInfo addConsumerBeside(JetStreamManagement jsm, String stream,
            ConsumerConfiguration consumer, CompletableFuture<StreamInfo> streamCreation)
            throws IOException, JetStreamApiException {
        boolean askedAfterTheStream = false;
        while (true) {
            boolean streamDone = streamCreation.isDone();
            try {
                addConsumer(jsm, stream, consumer);
                return null;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NOT_FOUND || askedAfterTheStream) {
                    throw e;
                }
                if (streamDone) {
                    outcome(streamCreation); // the stream's own failure, if it failed
                    askedAfterTheStream = true;
                } else {
                    LockSupport.parkNanos(STREAM_NOT_KNOWN_YET.toNanos());
                }
            }
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

    /** What one step returned, its failure rethrown as thrown. */
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
