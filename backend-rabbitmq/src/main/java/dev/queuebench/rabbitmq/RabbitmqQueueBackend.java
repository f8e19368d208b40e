package dev.queuebench.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import dev.queuebench.api.AbstractQueueBackend;
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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue as AMQP queues (see {@link AmqpQueues}): enqueue publishes to the work queue (or a holding queue, for a
 * job due later) and waits for the publisher confirm; claim takes messages with {@code basic.get} without auto-ack,
 * and a lease is the unacknowledged delivery held by {@link Leases}; complete is {@code basic.ack}; fail publishes
 * the job again to a holding queue whose per-message TTL is the backoff (dead-lettered into the work queue when due),
 * waits for the confirm, then acks; a job out of attempts is published to the dead queue, then acked.
 */
final class RabbitmqQueueBackend extends AbstractQueueBackend {
    /** The largest payload accepted (the broker's own limit, max_message_size, is 128 MiB by default). */
    private static final int MAX_PAYLOAD_BYTES = 16 << 20;
    /** The last error of a job whose last attempt's lease ran out, as the contract words it. */
    private static final String LEASE_EXPIRED = "lease expired";

    private final RabbitmqConfig config;
    private final Link link;
    private final Leases leases;
    private final Capabilities capabilities;
    /** Queues whose work queue this backend declared. */
    private final Map<String, AmqpQueues> declared = new ConcurrentHashMap<>();
    /** Held while declaring a work queue. */
    private final Object declaring = new Object();
    /** Holding and dead queues this backend declared: made on first use, as most queues never need them. */
    private final Set<String> declaredSide = ConcurrentHashMap.newKeySet();
    /** Enqueues by this backend per queue: a waiting claim here wakes on them without its poll. */
    private final Map<String, AtomicLong> enqueues = new ConcurrentHashMap<>();

    private RabbitmqQueueBackend(RabbitmqConfig config, MeterRegistry registry, Link link) {
        super(RabbitmqBackendProvider.NAME, config.strategy(), registry);
        this.config = config;
        this.link = link;
        this.leases = new Leases(this::expire);
        this.capabilities = new Capabilities(Durability.CRASH_SAFE, Ordering.ORDER_BEST_EFFORT, MAX_PAYLOAD_BYTES,
                config.pollInterval(), EnumSet.of(Feature.DELAYED_JOBS, Feature.EXTEND_LEASE, Feature.FENCING));
    }

    /** Connects; fails within about {@code connectTimeout} when the broker cannot be reached. */
    static RabbitmqQueueBackend open(RabbitmqConfig config, MeterRegistry registry) {
        return new RabbitmqQueueBackend(config, registry, Link.open(config));
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public Map<String, String> serverInfo() {
        Map<String, Object> server = link.serverProperties();
        return Map.of("server_version", String.valueOf(server.get("version")),
                "product", String.valueOf(server.get("product")),
                "work_queue_type", config.quorum() ? "quorum" : "classic");
    }

    // ---------------------------------------------------------------- producer

    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        return doEnqueueAll(queue, List.of(request)).getFirst();
    }

    /** Publishes every job, then waits for the confirms; a failure leaves the jobs confirmed before it. */
    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        AmqpQueues queues = queues(queue);
        Instant now = Instant.now();
        List<Outgoing> messages = new ArrayList<>(requests.size());
        List<String> ids = new ArrayList<>(requests.size());
        for (JobRequest request : requests) {
            String id = UUID.randomUUID().toString();
            JobHeaders job = new JobHeaders(id, now, request.priority(), request.maxAttempts(), 0, null);
            Duration delay = request.runAt() == null ? Duration.ZERO : Duration.between(now, request.runAt());
            messages.add(toRun(queues, job, request.payload(), delay));
            ids.add(id);
        }
        Lane lane = link.lane();
        lane.lock.lock();
        try {
            publish(lane, queues, messages, "publishing to '" + queue + "'");
        } finally {
            lane.lock.unlock();
        }
        enqueues.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
        AtomicLong signal = enqueues.get(queue);
        synchronized (signal) {
            signal.notifyAll();
        }
        return ids;
    }

    // ---------------------------------------------------------------- consumer

    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        AmqpQueues queues = queues(queue);
        AtomicLong signal = enqueues.computeIfAbsent(queue, q -> new AtomicLong());
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        while (true) {
            long seen = signal.get();
            leases.endExpired(queue);
            List<ClaimedJob> claimed = take(queues, maxJobs, leaseDuration);
            long left = deadline - System.nanoTime();
            if (!claimed.isEmpty() || left <= 0 || isClosed()) {
                return claimed;
            }
            long waitMillis = Math.max(1, Math.min(left, config.pollInterval().toNanos()) / 1_000_000);
            synchronized (signal) {
                if (signal.get() == seen) {
                    try {
                        signal.wait(waitMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new QueueException("interrupted while waiting for a job on '" + queue + "'", e);
                    }
                }
            }
            if (isClosed()) {
                return List.of();
            }
        }
    }

    /** Takes up to {@code maxJobs} ready messages with basic.get; ones past their last attempt become dead. */
    private List<ClaimedJob> take(AmqpQueues queues, int maxJobs, Duration leaseDuration) {
        Lane lane = link.lane();
        List<ClaimedJob> claimed = new ArrayList<>();
        while (claimed.size() < maxJobs) {
            lane.lock.lock();
            GetResponse got = null;
            try {
                got = lane.channel.basicGet(queues.work(), false);
                if (got == null) {
                    break;
                }
                JobHeaders job = JobHeaders.read(got.getProps());
                int attempt = job.attemptOf(got.getProps(), got.getEnvelope());
                long tag = got.getEnvelope().getDeliveryTag();
                if (attempt > job.maxAttempts()) {
                    // its holder was lost on its last attempt: the broker gave it back
                    publish(lane, queues, List.of(new Outgoing(queues.dead(),
                            job.dead(job.maxAttempts(), LEASE_EXPIRED).properties(null), got.getBody())),
                            "storing a dead letter");
                    lane.channel.basicAck(tag, false);
                    continue;
                }
                if (JobHeaders.returns(got.getProps(), got.getEnvelope()) > 0) {
                    // its holder's connection was lost, maybe well within its lease: the broker gives such a
                    // message back at once, so it waits lostLeaseHold with the lost attempt counted
                    publish(lane, queues, List.of(toRun(queues, job.after(attempt - 1), got.getBody(),
                            config.lostLeaseHold())), "holding back a job whose holder was lost");
                    lane.channel.basicAck(tag, false);
                    continue;
                }
                Instant expires = Instant.now().plus(leaseDuration);
                Leases.Lease lease = leases.start(lane, tag, queues.queue(), job, got.getBody(), attempt,
                        leaseDuration);
                claimed.add(new ClaimedJob(job.id(), queues.queue(), got.getBody(), job.priority(), attempt,
                        job.maxAttempts(), job.enqueuedAt(), expires, lease.token));
                got = null;
            } catch (IOException | RuntimeException e) {
                if (got != null) {
                    giveBack(lane, got.getEnvelope().getDeliveryTag());
                }
                requireOpen(); // closed while claiming: BackendClosedException
                if (RabbitmqErrors.notFound(e)) {
                    forget(queues);
                }
                if (!claimed.isEmpty()) {
                    break; // the leases taken so far are lost with the channel; the broker requeues them
                }
                throw RabbitmqErrors.translate(e, config, "claiming from '" + queues.queue() + "'");
            } finally {
                lane.lock.unlock();
            }
        }
        return claimed;
    }

    /**
     * Returns a delivery that was taken but neither leased nor settled (a publish for it failed) to the broker, so
     * it is not left unacknowledged on a channel that stays open; closes the channel when even that fails.
     */
    private static void giveBack(Lane lane, long deliveryTag) {
        try {
            if (lane.isOpen()) {
                lane.channel.basicNack(deliveryTag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            Link.closeQuietly(lane.channel);
        }
    }

    @Override
    protected boolean doComplete(ClaimedJob job) {
        return doCompleteAll(List.of(job)).getFirst();
    }

    /**
     * Acks each valid lease, then makes one answered call on each lane it acked on: true only once the broker's
     * channel has processed the ack (an ack alone is not answered, and one lost with its connection would bring the
     * completed job back); a connection lost before that answer throws, as the ack may not have been processed.
     */
    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        List<Boolean> done = new ArrayList<>(jobs.size());
        Set<Lane> acked = new java.util.LinkedHashSet<>();
        for (ClaimedJob job : jobs) {
            Leases.Lease lease = leases.take(job.queue(), job.leaseToken());
            if (lease == null) {
                done.add(false);
                continue;
            }
            lease.lane.lock.lock();
            try {
                lease.lane.channel.basicAck(lease.deliveryTag, false);
                acked.add(lease.lane);
                done.add(true);
            } catch (IOException | RuntimeException e) {
                throw RabbitmqErrors.translate(e, config, "acknowledging a job of '" + job.queue() + "'");
            } finally {
                lease.lane.lock.unlock();
            }
        }
        for (Lane lane : acked) {
            lane.lock.lock();
            try {
                answered(lane);
            } catch (IOException | RuntimeException e) {
                throw RabbitmqErrors.translate(e, config, "acknowledging jobs of '" + jobs.getFirst().queue() + "'");
            } finally {
                lane.lock.unlock();
            }
        }
        return done;
    }

    /**
     * An answered no-op on the lane's channel ({@code basic.qos}, lock held): the broker handles a channel's methods
     * in order, so once it answers, every ack sent before it on that channel has been processed.
     */
    private static void answered(Lane lane) throws IOException {
        lane.channel.basicQos(0);
    }

    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        Leases.Lease lease = leases.take(job.queue(), job.leaseToken());
        if (lease == null) {
            return FailResult.leaseLost();
        }
        AmqpQueues queues = names(job.queue());
        if (lease.attempt >= lease.job.maxAttempts()) {
            settle(lease, new Outgoing(queues.dead(), lease.job.dead(lease.attempt, error).properties(null),
                    lease.body), "storing a dead letter");
            return FailResult.dead();
        }
        Duration delay = config.backoff().delayAfter(lease.attempt);
        Instant retryAt = Instant.now().plus(delay);
        settle(lease, toRun(queues, lease.job.after(lease.attempt), lease.body, delay), "scheduling a retry");
        return FailResult.retryAt(retryAt);
    }

    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        return leases.extend(job.queue(), job.leaseToken(), leaseDuration);
    }

    /** A lease ran out: the job is dead on its last attempt, else published again, ready at once. */
    private void expire(Leases.Lease lease) {
        AmqpQueues queues = names(lease.queue);
        Outgoing next = lease.attempt >= lease.job.maxAttempts()
                ? new Outgoing(queues.dead(), lease.job.dead(lease.attempt, LEASE_EXPIRED).properties(null),
                        lease.body)
                : new Outgoing(queues.work(), lease.job.after(lease.attempt).properties(null), lease.body);
        settle(lease, next, "ending an expired lease");
    }

    /**
     * Publishes {@code next} (waiting for its confirm), then acks the lease's delivery, on the lease's lane; on a
     * failure the delivery goes back to the broker (the next claim holds it back as a lost lease).
     */
    private void settle(Leases.Lease lease, Outgoing next, String doing) {
        lease.lane.lock.lock();
        try {
            publish(lease.lane, queues(lease.queue), List.of(next), doing);
            lease.lane.channel.basicAck(lease.deliveryTag, false);
        } catch (IOException | RuntimeException e) {
            giveBack(lease.lane, lease.deliveryTag); // taken out of Leases: the broker must have it back
            throw RabbitmqErrors.translate(e, config, doing);
        } finally {
            lease.lane.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- admin

    @Override
    protected QueueStats doStats(String queue) {
        leases.endExpired(queue);
        AmqpQueues queues = queues(queue);
        long[] counts = new long[3];
        counts[0] = withQueues(queue, "reading the counts of '" + queue + "'",
                channel -> (long) channel.queueDeclarePassive(queues.work()).getMessageCount());
        for (String holding : queues.holding()) {
            counts[1] += count(holding);
        }
        counts[2] = count(queues.dead());
        return new QueueStats(counts[0], counts[1], leases.count(queue), counts[2]);
    }

    /** Reads the head of the dead queue with basic.get and gives it back by closing the channel (order kept). */
    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        leases.endExpired(queue);
        AmqpQueues queues = queues(queue);
        declareSide(queues, queues.dead());
        return withQueues(queue, "reading the dead letters of '" + queue + "'", channel -> {
            List<DeadJob> dead = new ArrayList<>();
            while (dead.size() < limit) {
                GetResponse got = channel.basicGet(queues.dead(), false);
                if (got == null) {
                    break;
                }
                JobHeaders job = JobHeaders.read(got.getProps());
                dead.add(new DeadJob(job.id(), queue, got.getBody(), job.attemptsBefore(), job.lastError(),
                        job.enqueuedAt()));
            }
            return dead;
        });
    }

    @Override
    protected long doRequeueDead(String queue) {
        leases.endExpired(queue);
        AmqpQueues queues = queues(queue);
        declareSide(queues, queues.dead());
        return withQueues(queue, "requeuing the dead letters of '" + queue + "'", channel -> {
            channel.confirmSelect();
            long requeued = 0;
            while (true) {
                GetResponse got = channel.basicGet(queues.dead(), false);
                if (got == null) {
                    return requeued;
                }
                JobHeaders job = JobHeaders.read(got.getProps()).after(0);
                channel.basicPublish("", queues.work(), false, job.properties(null), got.getBody());
                channel.waitForConfirmsOrDie(config.requestTimeout().toMillis());
                channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
                requeued++;
            }
        });
    }

    /** Acks this backend's leases of the queue, then deletes its AMQP queues (declared again on next use). */
    @Override
    protected long doPurge(String queue) {
        long purged = 0;
        for (Leases.Lease lease : leases.takeQueue(queue)) {
            purged++;
            lease.lane.lock.lock();
            try {
                if (lease.lane.isOpen()) {
                    lease.lane.channel.basicAck(lease.deliveryTag, false);
                }
            } catch (IOException | RuntimeException e) {
                // the channel is gone, and with it the delivery
            } finally {
                lease.lane.lock.unlock();
            }
        }
        AmqpQueues queues = AmqpQueues.of(config.prefix(), config.strategy(), queue);
        forget(queues);
        long deleted = 0;
        for (String name : queues.all()) {
            deleted += link.admin("deleting '" + name + "'", channel -> (long) channel.queueDelete(name)
                    .getMessageCount());
        }
        return purged + deleted;
    }

    /** Queues declared and leases held; no stored bytes: AMQP does not tell a queue's size in bytes. */
    @Override
    protected Footprint doFootprint() {
        return Footprint.of(Map.of("queues", (long) declared.size() + declaredSide.size(),
                "leases", leases.count()));
    }

    @Override
    protected void doClose() {
        leases.close();
        link.close();
    }

    // ---------------------------------------------------------------- helpers

    /** A message for a job due after {@code delay}: to the work queue, or to a holding queue with that TTL. */
    private static Outgoing toRun(AmqpQueues queues, JobHeaders job, byte[] body, Duration delay) {
        long millis = delay.toMillis();
        if (millis <= 0) {
            return new Outgoing(queues.work(), job.properties(null), body);
        }
        return new Outgoing(queues.holdingFor(delay), job.properties(Long.toString(millis)), body);
    }

    /**
     * Publishes on {@code lane} (its lock held) as mandatory and waits for every confirm; a message the broker
     * returns as unroutable (its queue was deleted by a purge elsewhere) is published again once the queues are
     * declared anew.
     */
    private void publish(Lane lane, AmqpQueues queues, List<Outgoing> messages, String doing) {
        List<Outgoing> pending = messages;
        for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
            pending.forEach(message -> declareSide(queues, message.routingKey()));
            try {
                lane.returned.clear();
                for (Outgoing message : pending) {
                    lane.channel.basicPublish("", message.routingKey(), true, message.properties(), message.body());
                }
                lane.channel.waitForConfirmsOrDie(config.requestTimeout().toMillis());
            } catch (TimeoutException e) {
                throw RabbitmqErrors.unreachable(config, doing, null);
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw RabbitmqErrors.translate(e, config, doing);
            }
            List<Outgoing> returned = pending.stream()
                    .filter(m -> lane.returned.contains(m.properties().getMessageId())).toList();
            if (!returned.isEmpty()) {
                forget(queues);
                queues(queues.queue());
            }
            pending = returned;
        }
        if (!pending.isEmpty()) {
            throw new QueueException("RabbitMQ at " + config.redactedUrl() + " returned " + pending.size()
                    + " message(s) as unroutable while " + doing + " (is another process purging '" + queues.queue()
                    + "'?)", null);
        }
    }

    /** The queue's AMQP queue names, nothing declared. */
    private AmqpQueues names(String queue) {
        return AmqpQueues.of(config.prefix(), config.strategy(), queue);
    }

    /**
     * The queue's AMQP queues, declared on first use by this backend, one thread at a time: RabbitMQ answers a
     * second, concurrent declare of a new quorum queue before its leader runs, and a basic.get in that gap closes
     * the connection ("noproc"), failing every other thread's calls on it.
     */
    private AmqpQueues queues(String queue) {
        AmqpQueues known = declared.get(queue);
        if (known != null) {
            return known;
        }
        synchronized (declaring) {
            known = declared.get(queue);
            if (known != null) {
                return known;
            }
            AmqpQueues queues = AmqpQueues.of(config.prefix(), config.strategy(), queue);
            link.admin("declaring the work queue of '" + queue + "'", channel -> {
                channel.queueDeclare(queues.work(), true, false, false,
                        Map.of("x-queue-type", config.quorum() ? "quorum" : "classic"));
                return null;
            });
            declared.put(queue, queues);
            return queues;
        }
    }

    /** Declares a holding or the dead queue of {@code queues} before its first use by this backend. */
    private void declareSide(AmqpQueues queues, String name) {
        if (name.equals(queues.work()) || declaredSide.contains(name)) {
            return;
        }
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", "classic");
        if (queues.holding().contains(name)) {
            args.put("x-dead-letter-exchange", "");
            args.put("x-dead-letter-routing-key", queues.work());
        }
        link.admin("declaring '" + name + "'", channel -> channel.queueDeclare(name, true, false, false, args));
        declaredSide.add(name);
    }

    /** Forgets what this backend declared for the queue: it declares them again on next use. */
    private void forget(AmqpQueues queues) {
        declared.remove(queues.queue());
        queues.all().forEach(declaredSide::remove);
    }

    /** The ready messages of an AMQP queue; 0 when it does not exist (a side queue never used). */
    private long count(String name) {
        try {
            return link.admin("counting '" + name + "'", channel -> (long) channel.queueDeclarePassive(name)
                    .getMessageCount());
        } catch (QueueException e) {
            if (RabbitmqErrors.notFound(e)) {
                declaredSide.remove(name);
                return 0;
            }
            throw e;
        }
    }

    /** An admin call on the queue's AMQP queues, made again once when they had vanished (purged elsewhere). */
    private <T> T withQueues(String queue, String doing, Link.AdminCall<T> call) {
        try {
            return link.admin(doing, call);
        } catch (QueueException e) {
            if (!RabbitmqErrors.notFound(e)) {
                throw e;
            }
            AmqpQueues queues = AmqpQueues.of(config.prefix(), config.strategy(), queue);
            forget(queues);
            queues(queue);
            declareSide(queues, queues.dead());
            return link.admin(doing, call);
        }
    }

    /** One message to publish to the default exchange. */
    private record Outgoing(String routingKey, AMQP.BasicProperties properties, byte[] body) {}
}
