package dev.queuebench.nats;

import dev.queuebench.api.AbstractQueueBackend;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The queue as three JetStream streams (see {@link QueueStreams}): enqueue publishes to the work stream (or the
 * delayed one), claim pulls from the durable consumer {@code workers}, a lease is the unacknowledged delivery held by
 * {@link Leases}, complete is {@code +ACK}, fail is {@code -NAK} with the backoff as delay, and a job out of attempts
 * is published to the dead stream, then acked. Every settling call waits for the server's answer.
 */
final class NatsQueueBackend extends AbstractQueueBackend {
    /** Room left in the server's max_payload for the job's headers. */
    private static final int HEADER_ROOM = 1024;
    /** The largest payload accepted: larger than one message, it travels in parts ({@link PayloadParts}). */
    private static final int MAX_PAYLOAD_BYTES = 16 << 20;
    private static final int MOVE_BATCH = 256;
    /** The last error of a job whose last attempt's lease ran out, as the contract words it. */
    private static final String LEASE_EXPIRED = "lease expired";
    /** How often a claim waiting for its queue's streams to be created looks whether the backend closed. */
    private static final Duration CREATION_LOOK_AT_CLOSE = Duration.ofMillis(100);
    /** The delay a delayed job that came due during a zero-wait claim is given back with. */
    private static final Duration CAME_DUE_MEANWHILE = Duration.ofMillis(1);

    private final NatsConfig config;
    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final PullRequests pulls;
    private final Leases leases;
    private final Capabilities capabilities;
    /** The largest payload that travels in the job message itself. */
    private final int partBytes;
    /** Each queue's streams, created on first use by this backend (or being created). */
    private final Map<String, QueueStreams.Creation> streams = new ConcurrentHashMap<>();
    private final Map<String, Long> lastMove = new ConcurrentHashMap<>();
    /** When this backend's retries (naks with delay) come due, per queue: what {@code stats} counts as scheduled. */
    private final Map<String, ConcurrentLinkedQueue<Long>> retries = new ConcurrentHashMap<>();

    private NatsQueueBackend(NatsConfig config, MeterRegistry registry, Connection connection) throws IOException {
        super(NatsBackendProvider.NAME, config.strategy(), registry);
        this.config = config;
        this.connection = connection;
        JetStreamOptions options = JetStreamOptions.builder().requestTimeout(config.requestTimeout()).build();
        this.jetStream = connection.jetStream(options);
        this.management = connection.jetStreamManagement(options);
        this.pulls = new PullRequests(connection, this::isClosed, config.ackWait().dividedBy(2));
        this.leases = new Leases(connection, config.ackWait(), config.requestTimeout(), this::expire);
        this.partBytes = (int) Math.max(HEADER_ROOM, connection.getServerInfo().getMaxPayload() - HEADER_ROOM);
        this.capabilities = new Capabilities(Durability.CRASH_SAFE, Ordering.ORDER_BEST_EFFORT, MAX_PAYLOAD_BYTES,
                config.pollInterval(), EnumSet.of(Feature.WAKE_ON_ENQUEUE, Feature.DELAYED_JOBS,
                        Feature.EXTEND_LEASE, Feature.FENCING));
    }

    /** Connects and checks that JetStream answers; fails within about {@code connectTimeout} otherwise. */
    static NatsQueueBackend open(NatsConfig config, MeterRegistry registry) {
        Options.Builder options = new Options.Builder()
                .servers(config.serverUrls())
                .connectionName("queuebench")
                .connectionTimeout(config.connectTimeout())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .errorListener(new io.nats.client.ErrorListener() {});
        if (config.user() != null) {
            options.userInfo(config.user(), config.password() == null ? "" : config.password());
        }
        Connection connection;
        try {
            connection = Nats.connect(options.build());
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw NatsErrors.unreachable(config, "connecting", e);
        }
        try {
            connection.jetStreamManagement().getAccountStatistics();
            return new NatsQueueBackend(config, registry, connection);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            closeQuietly(connection);
            throw new BackendUnavailableException("NATS at " + config.redactedUrl() + " does not answer JetStream"
                    + " requests (" + e.getMessage() + "); start nats-server with JetStream enabled (-js)", e);
        }
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public Map<String, String> serverInfo() {
        var info = connection.getServerInfo();
        return Map.of("server_version", info.getVersion(), "max_payload", Long.toString(info.getMaxPayload()),
                "ack_wait", config.ackWait().toString(), "storage", "file", "replicas",
                Integer.toString(config.replicas()));
    }

    // ---------------------------------------------------------------- producer

    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        return doEnqueueAll(queue, List.of(request)).getFirst();
    }

    /**
     * Publishes every job, then waits for every acknowledgement; a failure leaves the jobs published before it. A job
     * whose {@code runAt} is ahead when the call starts goes to the delayed stream. On a queue's first use each job
     * waits only for the stream it goes to; when one of them may run now the call returns once the queue's claim set
     * (its streams and consumers) exists too, so that any backend can claim it at once; jobs that all run later
     * return without it (the creation goes on while they wait for their {@code runAt}).
     */
    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        Instant now = Instant.now();
        QueueStreams.Creation creation = creation(queue);
        QueueStreams queueStreams = creation.streams();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(requests.size());
        List<Boolean> delayed = new ArrayList<>(requests.size());
        for (JobRequest request : requests) {
            if (request.maxAttempts() >= config.maxDeliver()) {
                throw new IllegalArgumentException("maxAttempts " + request.maxAttempts() + " needs 'maxDeliver' above"
                        + " it, which is " + config.maxDeliver());
            }
            boolean later = request.runAt() != null && request.runAt().isAfter(now);
            boolean inParts = request.payload().length > partBytes;
            if (inParts) {
                step(queue, creation, creation.parts());
            }
            String parts = inParts ? call("storing a large payload in parts",
                    () -> PayloadParts.store(jetStream, queueStreams, request.payload(), partBytes)) : null;
            JobHeaders job = new JobHeaders(null, now, request.priority(), request.maxAttempts(), 0,
                    later ? request.runAt() : null, null, parts);
            String subject = later ? queueStreams.delayedSubject() : queueStreams.workSubject();
            String stream = later ? queueStreams.delayed() : queueStreams.work();
            step(queue, creation, later ? creation.delayed() : creation.work());
            acks.add(jetStream.publishAsync(subject, job.toHeaders(null), inParts ? new byte[0] : request.payload(),
                    PublishOptions.builder().expectedStream(stream).build()));
            delayed.add(later);
        }
        List<String> ids = new ArrayList<>(requests.size());
        for (int i = 0; i < acks.size(); i++) {
            long sequence = await(acks.get(i), "publishing a job to '" + queue + "'").getSeqno();
            ids.add(delayed.get(i) ? "d" + sequence : Long.toString(sequence));
        }
        if (delayed.contains(false)) {
            step(queue, creation, creation.claimable());
        }
        return ids;
    }

    // ---------------------------------------------------------------- consumer

    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        long deadline = System.nanoTime() + waitTimeout.toNanos(); // the wait includes creating a new queue's streams
        Instant calledAt = Instant.now();
        Instant dueBy = null; // moved: the delayed jobs due when the claim looks
        QueueStreams queueStreams = claimableBy(queue, deadline);
        if (queueStreams == null) {
            // the wait ran out (or the backend closed) before the queue's creation ended: the claim still looks when
            // jobs are there, whatever the rest of the creation costs
            if (isClosed() || !jobsWhileCreating(queue, waitTimeout.isZero())) {
                return List.of();
            }
            QueueStreams.Creation creation = creation(queue);
            queueStreams = step(queue, creation, creation.claimable());
            // one that may not wait, held up by the creation, answers for the moment it was called: a delayed job
            // that came due meanwhile is the next claim's
            dueBy = waitTimeout.isZero() ? calledAt : null;
        }
        while (true) {
            moveDueJobs(queueStreams, dueBy == null ? Instant.now() : dueBy);
            long now = System.nanoTime();
            Duration window = Duration.ofNanos(Math.max(0, Math.min(deadline - now,
                    config.pollInterval().toNanos())));
            List<ClaimedJob> claimed = new ArrayList<>();
            for (Delivery delivery : pull(queueStreams.work(), maxJobs, window)) {
                JobHeaders job = delivery.job();
                int attempt = delivery.attempt();
                if (attempt > job.maxAttempts()) {
                    bury(queueStreams, delivery, job.maxAttempts(), LEASE_EXPIRED);
                    continue;
                }
                Leases.Lease lease = leases.start(delivery, queue, attempt, leaseDuration);
                claimed.add(new ClaimedJob(job.id(), queue, payload(queueStreams, job, delivery.message().getData()),
                        job.priority(), attempt,
                        job.maxAttempts(), job.enqueuedAt(), Instant.now().plus(leaseDuration), lease.token()));
            }
            if (!claimed.isEmpty() || System.nanoTime() >= deadline || isClosed()) {
                return claimed;
            }
        }
    }

    /**
     * Whether a claim whose wait ran out during the queue's creation should still wait for it: when its work stream
     * holds jobs. While the consumer {@code workers} does not exist it cannot have delivered any, so an empty work
     * stream means nothing to claim (a delayed job can be moved only once the consumer {@code mover} exists); this
     * spares the claim the consumers' creation (on a cluster up to about a second). A claim that may not wait looks
     * whatever the work stream's creation costs; one that waited gives up when the work stream is not there yet.
     */
    private boolean jobsWhileCreating(String queue, boolean waitForTheWorkStream) {
        QueueStreams.Creation creation = creation(queue);
        if (creation.claimable().isDone()) {
            return true;
        }
        if (!waitForTheWorkStream && !creation.work().isDone()) {
            return false;
        }
        step(queue, creation, creation.work());
        return creation.claimable().isDone() || state(creation.streams().work()).getMsgCount() > 0;
    }

    /** One pull of up to {@code maxJobs} (pull-batch), or pulls of one until {@code maxJobs} (pull-one). */
    private List<Delivery> pull(String stream, int maxJobs, Duration window) {
        if (config.strategy().equals(NatsBackendProvider.PULL_BATCH)) {
            return pulls.pull(stream, QueueStreams.WORKERS, maxJobs, window);
        }
        List<Delivery> got = new ArrayList<>(pulls.pull(stream, QueueStreams.WORKERS, 1, window));
        while (!got.isEmpty() && got.size() < maxJobs) {
            List<Delivery> next = pulls.pull(stream, QueueStreams.WORKERS, 1, Duration.ZERO);
            if (next.isEmpty()) {
                break;
            }
            got.addAll(next);
        }
        return got;
    }

    @Override
    protected boolean doComplete(ClaimedJob job) {
        return doCompleteAll(List.of(job)).getFirst();
    }

    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        List<Leases.Lease> taken = new ArrayList<>(jobs.size());
        List<CompletableFuture<Message>> answers = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            Leases.Lease lease = leases.take(job.queue(), job.leaseToken());
            taken.add(lease);
            answers.add(lease == null ? null : settle(lease.token(), "+ACK"));
        }
        List<Boolean> done = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            if (answers.get(i) != null) {
                await(answers.get(i), "acknowledging a job");
                String parts = taken.get(i).delivery.job().parts();
                if (parts != null) {
                    QueueStreams queueStreams = streams(jobs.get(i).queue());
                    call("removing a completed job's payload parts",
                            () -> {
                                PayloadParts.delete(management, queueStreams, parts);
                                return null;
                            });
                }
            }
            done.add(answers.get(i) != null);
        }
        return done;
    }

    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        Leases.Lease lease = leases.take(job.queue(), job.leaseToken());
        if (lease == null) {
            return FailResult.leaseLost();
        }
        if (lease.attempt >= job.maxAttempts()) {
            bury(streams(job.queue()), lease.delivery, lease.attempt, error);
            return FailResult.dead();
        }
        Duration delay = config.backoff().delayAfter(lease.attempt);
        Instant retryAt = Instant.now().plus(delay);
        pulls.gaveBack(lease.delivery, delay);
        await(settle(lease.token(), "-NAK {\"delay\":" + delay.toNanos() + "}"), "scheduling a retry");
        retries.computeIfAbsent(job.queue(), q -> new ConcurrentLinkedQueue<>())
                .add(System.nanoTime() + delay.toNanos());
        return FailResult.retryAt(retryAt);
    }

    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        return leases.extend(job.queue(), job.leaseToken(), leaseDuration);
    }

    /** A lease ran out: the job is dead on its last attempt, else redelivered at once. */
    private void expire(Leases.Lease lease) {
        JobHeaders job = lease.delivery.job();
        if (lease.attempt >= job.maxAttempts()) {
            bury(streams(lease.queue), lease.delivery, lease.attempt, LEASE_EXPIRED);
        } else {
            pulls.gaveBack(lease.delivery, Duration.ZERO);
            settle(lease.token(), "-NAK");
        }
    }

    /** Publishes the job to the dead stream, then acks its delivery: a crash between leaves it in both at worst. */
    private void bury(QueueStreams queueStreams, Delivery delivery, int attempts, String error) {
        JobHeaders dead = delivery.job().dead(attempts, error);
        await(jetStream.publishAsync(queueStreams.deadSubject(), dead.toHeaders(dead.id() + "#" + attempts),
                delivery.message().getData()), "storing a dead letter");
        await(settle(delivery.ackSubject(), "+ACK"), "acknowledging a dead job");
    }

    /** Sends an ack, nak or progress for a delivery and returns the server's answer to come. */
    private CompletableFuture<Message> settle(String ackSubject, String what) {
        return connection.requestWithTimeout(ackSubject, what.getBytes(StandardCharsets.US_ASCII),
                config.requestTimeout());
    }

    /**
     * Moves the delayed jobs due by {@code dueBy} to the work stream, at most once per poll interval per queue, and
     * gives the others back until they come due. A job that came due after {@code dueBy} is given back at once, and
     * the next claim looks again without waiting for the poll interval.
     */
    private void moveDueJobs(QueueStreams queueStreams, Instant dueBy) {
        long now = System.nanoTime();
        Long last = lastMove.get(queueStreams.queue());
        if (last != null && now - last < config.pollInterval().toNanos()) {
            return;
        }
        lastMove.put(queueStreams.queue(), now);
        for (Delivery delivery : pulls.pull(queueStreams.delayed(), QueueStreams.MOVER, MOVE_BATCH, Duration.ZERO)) {
            JobHeaders job = JobHeaders.read(delivery.message().getHeaders(), "d" + delivery.streamSequence());
            if (Duration.between(dueBy, job.runAt()).toMillis() > 0) {
                Duration untilDue = Duration.between(Instant.now(), job.runAt());
                if (untilDue.toMillis() <= 0) {
                    untilDue = CAME_DUE_MEANWHILE;
                    lastMove.remove(queueStreams.queue());
                }
                pulls.gaveBack(delivery, untilDue);
                settle(delivery.ackSubject(), "-NAK {\"delay\":" + untilDue.toNanos() + "}");
                continue;
            }
            JobHeaders ready = job.ready();
            await(jetStream.publishAsync(queueStreams.workSubject(), ready.toHeaders("moved-" + ready.id()),
                    delivery.message().getData()), "moving a delayed job");
            await(settle(delivery.ackSubject(), "+ACK"), "acknowledging a moved job");
        }
    }

    // ---------------------------------------------------------------- admin

    @Override
    protected QueueStats doStats(String queue) {
        QueueStreams queueStreams = streams(queue);
        ConsumerInfo workers = call("reading the consumer of '" + queue + "'",
                () -> management.getConsumerInfo(queueStreams.work(), QueueStreams.WORKERS));
        long delayed = state(queueStreams.delayed()).getMsgCount();
        long dead = state(queueStreams.dead()).getMsgCount();
        long retrying = pendingRetries(queue);
        return new QueueStats(workers.getNumPending(), delayed + retrying,
                Math.max(0, workers.getNumAckPending() - retrying), dead);
    }

    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        QueueStreams queueStreams = streams(queue);
        List<DeadJob> dead = new ArrayList<>();
        for (MessageInfo message : deadMessages(queueStreams, limit)) {
            JobHeaders job = JobHeaders.read(message.getHeaders(), Long.toString(message.getSeq()));
            dead.add(new DeadJob(job.id(), queue, payload(queueStreams, job, message.getData()), job.attemptsBefore(),
                    job.lastError(), job.enqueuedAt()));
        }
        return dead;
    }

    @Override
    protected long doRequeueDead(String queue) {
        QueueStreams queueStreams = streams(queue);
        long requeued = 0;
        for (MessageInfo message : deadMessages(queueStreams, Integer.MAX_VALUE)) {
            JobHeaders job = JobHeaders.read(message.getHeaders(), Long.toString(message.getSeq())).requeued();
            byte[] payload = message.getData() == null ? new byte[0] : message.getData();
            await(jetStream.publishAsync(queueStreams.workSubject(),
                    job.toHeaders("requeued-" + job.id() + "-" + message.getSeq()), payload), "requeuing a dead job");
            call("removing a requeued dead letter", () -> management.deleteMessage(queueStreams.dead(),
                    message.getSeq()));
            requeued++;
        }
        return requeued;
    }

    @Override
    protected long doPurge(String queue) {
        QueueStreams.Creation creation = creation(queue);
        QueueStreams queueStreams = step(queue, creation, creation.all());
        long purged = 0;
        for (String stream : List.of(queueStreams.work(), queueStreams.delayed(), queueStreams.dead())) {
            purged += call("purging '" + stream + "'", () -> management.purgeStream(stream)).getPurged();
        }
        call("purging '" + queueStreams.parts() + "'", () -> management.purgeStream(queueStreams.parts()));
        leases.forgetQueue(queue);
        retries.remove(queue);
        return purged;
    }

    /** The account's file and memory storage bytes (every stream of the account; their sum), streams, consumers. */
    @Override
    protected Footprint doFootprint() {
        AccountStatistics account = call("reading account statistics", management::getAccountStatistics);
        return Footprint.of(Map.of(Footprint.STORED_BYTES, account.getStorage() + account.getMemory(),
                "storage_bytes", account.getStorage(), "memory_bytes", account.getMemory(),
                "streams", account.getStreams(), "consumers", account.getConsumers()));
    }

    /**
     * Waits (up to {@code requestTimeout} in all) for the queue creations this backend started, then closes: an
     * enqueue does not wait for the consumers, and a creation cut off half way would leave another backend a consumer
     * the cluster has not elected a leader for yet.
     */
    @Override
    protected void doClose() {
        leases.close();
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        for (QueueStreams.Creation creation : streams.values()) {
            try {
                creation.all().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException | TimeoutException e) {
                // a failed creation is tried anew by whoever uses the queue next; one too slow is left to go on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(connection);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The queue's streams, created on first use by this backend (or waiting for the creation under way), all but the
     * parts stream, which those who use it wait for themselves.
     */
    private QueueStreams streams(String queue) {
        QueueStreams.Creation creation = creation(queue);
        return step(queue, creation, creation.claimable());
    }

    /** What a step of the queue's creation gave, waiting for it; its failure forgets the creation, to be tried anew. */
    private <T> T step(String queue, QueueStreams.Creation creation, CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException | CancellationException e) {
            throw creationFailed(queue, creation, e);
        }
    }

    private QueueException creationFailed(String queue, QueueStreams.Creation creation, Exception e) {
        streams.remove(queue, creation);
        Throwable cause = e.getCause() instanceof CompletionException inner ? inner.getCause() : e.getCause();
        return NatsErrors.translate(cause instanceof Exception ex ? ex : e, config,
                "creating the streams of '" + queue + "'");
    }

    /**
     * The queue's streams once those a claim uses exist, or null when {@code deadline} ({@link System#nanoTime})
     * passes or the backend closes first: the creation goes on for the next call.
     */
    private QueueStreams claimableBy(String queue, long deadline) {
        QueueStreams.Creation creation = creation(queue);
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return creation.claimable().get(Math.max(0, Math.min(left, CREATION_LOOK_AT_CLOSE.toNanos())),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (left <= 0 || isClosed()) {
                    return null;
                }
            } catch (ExecutionException e) {
                if (isClosed()) {
                    return null;
                }
                throw creationFailed(queue, creation, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * The creation of the queue's streams and consumers, started on first use, every step on a thread of its own, so
     * that a call waits only for the steps it uses and a claim may give up waiting at its deadline (under CPU load
     * creating six JetStream assets took up to 2.9 s here, and on a cluster each is a Raft group electing its first
     * leader); a failed creation is forgotten, to be tried anew.
     */
    private QueueStreams.Creation creation(String queue) {
        QueueStreams.Creation known = streams.get(queue);
        if (known != null) {
            return known;
        }
        return streams.computeIfAbsent(queue, q -> {
            long asOf = System.nanoTime();
            // no delayed job was there when it was created: the first claim need not look for due ones
            return QueueStreams.of(config.prefix(), q).create(management, config,
                    () -> lastMove.putIfAbsent(q, asOf));
        });
    }

    /** A job's payload: the message's own data, or its parts read back. */
    private byte[] payload(QueueStreams queueStreams, JobHeaders job, byte[] data) {
        if (job.parts() != null) {
            return call("reading a large payload's parts", () -> PayloadParts.load(management, queueStreams,
                    job.parts()));
        }
        return data == null ? new byte[0] : data;
    }

    /** The dead stream's messages in order, up to {@code limit}, skipping sequences that hold none. */
    private List<MessageInfo> deadMessages(QueueStreams queueStreams, int limit) {
        StreamState state = state(queueStreams.dead());
        List<MessageInfo> messages = new ArrayList<>();
        for (long seq = state.getFirstSequence(); state.getMsgCount() > 0 && seq <= state.getLastSequence()
                && messages.size() < limit; seq++) {
            long at = seq;
            try {
                messages.add(management.getMessage(queueStreams.dead(), at));
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.NO_MESSAGE_FOUND) {
                    throw NatsErrors.translate(e, config, "reading dead letters");
                }
            } catch (IOException e) {
                throw NatsErrors.translate(e, config, "reading dead letters");
            }
        }
        return messages;
    }

    private StreamState state(String stream) {
        return call("reading stream '" + stream + "'", () -> management.getStreamInfo(stream)).getStreamState();
    }

    private long pendingRetries(String queue) {
        ConcurrentLinkedQueue<Long> due = retries.get(queue);
        if (due == null) {
            return 0;
        }
        long now = System.nanoTime();
        due.removeIf(at -> at - now <= 0);
        return due.size();
    }

    private <T> T await(CompletableFuture<T> answer, String doing) {
        try {
            return answer.get(config.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw NatsErrors.translate(cause instanceof Exception ex ? ex : e, config, doing);
        } catch (TimeoutException e) {
            throw NatsErrors.unreachable(config, doing, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while " + doing, e);
        }
    }

    /**
     * A management call whose failure turns into a {@link QueueException}; a vanished stream is made anew next
     * time.
     */
    private <T> T call(String doing, NatsCall<T> call) {
        try {
            return call.call();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND
                    || e.getApiErrorCode() == NatsErrors.CONSUMER_NOT_FOUND) {
                streams.clear();
            }
            throw NatsErrors.translate(e, config, doing);
        } catch (Exception e) {
            throw NatsErrors.translate(e, config, doing);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface NatsCall<T> {
        T call() throws Exception;
    }
}
