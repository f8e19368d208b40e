package dev.queuebench.redis;

import static dev.queuebench.redis.Scripts.arg;
import static dev.queuebench.redis.Scripts.number;
import static dev.queuebench.redis.Scripts.text;

import dev.queuebench.api.AbstractQueueBackend;
import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueStats;
import dev.queuebench.redis.Claimer.ClaimBatch;
import dev.queuebench.redis.Scripts.Script;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScanArgs;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Redis backend. Every state change is one Lua script ({@link Scripts}; the {@code .lua} files are the
 * specification); waiting claims sleep on {@link WakeUps} between looks; the claim itself is the configured
 * {@link Claimer}. All methods are thread-safe: they share one pipelined connection.
 */
final class RedisQueueBackend extends AbstractQueueBackend {
    /** Far below Redis' 512 MB string limit, so batches of large payloads stay reasonable. */
    static final int MAX_PAYLOAD_BYTES = 16 << 20;
    /** The largest run-at the ready-set member can hold: 15 digits of milliseconds (see common.lua). */
    private static final long MAX_RUN_AT_MILLIS = 999_999_999_999_999L;
    /** Waits are capped at a year, so deadlines in nanoseconds cannot overflow. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(365);

    private final RedisConfig config;
    private final RedisConnections connections;
    private final Scripts scripts;
    private final WakeUps wakeUps;
    private final Claimer claimer;
    private final Capabilities capabilities;
    private final Map<String, String> serverInfo;
    private final ConcurrentHashMap<String, Keys> keys = new ConcurrentHashMap<>();

    private RedisQueueBackend(RedisConfig config, RedisConnections connections, ServerSettings settings,
            Scripts scripts, MeterRegistry registry) {
        super(RedisBackendProvider.NAME, config.strategy(), registry);
        this.config = config;
        this.connections = connections;
        this.scripts = scripts;
        this.wakeUps = new WakeUps(connections);
        LuaClaim lua = new LuaClaim(scripts, connections);
        this.claimer = config.strategy().equals("watch")
                ? new WatchClaim(lua, connections, metrics, ReplicaWait.of(config)) : lua;
        this.capabilities = new Capabilities(settings.durability(), Ordering.ORDER_STRICT, MAX_PAYLOAD_BYTES,
                config.pollInterval(), Feature.all());
        Map<String, String> info = new LinkedHashMap<>(settings.info());
        info.put("strategy", config.strategy());
        info.put("prefix", config.prefix());
        info.put("cluster", Boolean.toString(config.cluster()));
        if (config.sentinel()) {
            info.put("sentinels", String.join(",", config.sentinels()));
            info.put("sentinel_master", config.sentinelMaster());
        }
        info.put("wait_replicas", Integer.toString(config.waitReplicas()));
        this.serverInfo = Map.copyOf(info);
    }

    /** Connects, reads the server's settings and loads the scripts; closes what it opened when any step fails. */
    static RedisQueueBackend open(RedisConfig config, MeterRegistry registry) {
        RedisConnections connections = RedisConnections.open(config);
        try {
            ServerSettings settings = ServerSettings.read(connections, config);
            Scripts scripts = new Scripts(connections.commands(), ReplicaWait.of(config));
            connections.await(scripts.loadAll());
            return new RedisQueueBackend(config, connections, settings, scripts, registry);
        } catch (RuntimeException e) {
            connections.close();
            throw connections.translate(e);
        }
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public Map<String, String> serverInfo() {
        return serverInfo;
    }

    // ---------------------------------------------------------------- producer

    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        return store(keys(queue), List.of(request)).getFirst();
    }

    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        return store(keys(queue), requests);
    }

    /** One {@code enqueue.lua} call for the whole batch: all jobs or none. */
    private List<String> store(Keys k, List<JobRequest> requests) {
        byte[][] args = new byte[requests.size() * 4][];
        int i = 0;
        for (JobRequest request : requests) {
            args[i++] = request.payload();
            args[i++] = arg(request.priority());
            args[i++] = request.runAt() == null ? new byte[0] : arg(runAtMillis(request.runAt()));
            args[i++] = arg(request.maxAttempts());
        }
        List<Object> ids = call(k.queue(), () -> connections.await(scripts.run(Script.ENQUEUE, k, args)));
        return ids.stream().map(id -> Long.toString(number(id))).toList();
    }

    private static long runAtMillis(Instant runAt) {
        if (runAt.isBefore(Instant.EPOCH)) {
            return 0;
        }
        return runAt.isAfter(Instant.ofEpochMilli(MAX_RUN_AT_MILLIS)) ? MAX_RUN_AT_MILLIS : runAt.toEpochMilli();
    }

    // ---------------------------------------------------------------- consumer

    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        long leaseMillis = Math.max(1, leaseDuration.toMillis());
        return call(queue, () -> claimWaiting(keys(queue), maxJobs, leaseMillis, waitTimeout));
    }

    /**
     * Claims at once when jobs are ready; otherwise sleeps until an enqueue's wake-up, until the next scheduled job
     * or lease expiry comes due, or for the poll interval, whichever is first, and looks again until the wait is over.
     */
    private List<ClaimedJob> claimWaiting(Keys k, int maxJobs, long leaseMillis, Duration waitTimeout) {
        Duration wait = waitTimeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : waitTimeout;
        long deadline = System.nanoTime() + wait.toNanos();
        WakeUps.Signal signal = waitTimeout.isZero() ? null : wakeUps.subscribe(k.wakeChannel());
        while (true) {
            long seen = signal == null ? 0 : signal.generation();
            ClaimBatch batch = metrics.claimStatement(k.queue(), () -> claimer.claim(k, maxJobs, leaseMillis),
                    b -> !b.jobs().isEmpty());
            long remaining = deadline - System.nanoTime();
            if (!batch.jobs().isEmpty() || signal == null || remaining <= 0) {
                return batch.jobs();
            }
            long untilDue = batch.millisUntilDue() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : TimeUnit.MILLISECONDS.toNanos(batch.millisUntilDue() + 1);
            try {
                signal.awaitMove(seen, Math.min(remaining, Math.min(config.pollInterval().toNanos(), untilDue)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueueException("interrupted while waiting for a job on queue " + k.queue(), e);
            }
            requireOpen();
        }
    }

    @Override
    protected boolean doComplete(ClaimedJob job) {
        return call(job.queue(), () -> connections.await(settle(keys(job.queue()), List.of(job)))).getFirst();
    }

    /** One {@code complete.lua} call per queue in the batch, all sent before any answer is awaited. */
    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        Map<String, List<Integer>> positionsByQueue = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            positionsByQueue.computeIfAbsent(jobs.get(i).queue(), q -> new ArrayList<>()).add(i);
        }
        Map<String, CompletableFuture<List<Boolean>>> answers = new LinkedHashMap<>();
        positionsByQueue.forEach((queue, positions) ->
                answers.put(queue, settle(keys(queue), positions.stream().map(jobs::get).toList())));
        Boolean[] result = new Boolean[jobs.size()];
        positionsByQueue.forEach((queue, positions) -> {
            List<Boolean> done = call(queue, () -> connections.await(answers.get(queue)));
            for (int i = 0; i < positions.size(); i++) {
                result[positions.get(i)] = done.get(i);
            }
        });
        return Arrays.asList(result);
    }

    /** Sends one {@code complete.lua} call for jobs of one queue; its answers come in the jobs' order. */
    private CompletableFuture<List<Boolean>> settle(Keys k, List<ClaimedJob> jobs) {
        byte[][] args = new byte[jobs.size() * 2][];
        for (int i = 0; i < jobs.size(); i++) {
            args[2 * i] = arg(jobs.get(i).id());
            args[2 * i + 1] = arg(jobs.get(i).leaseToken());
        }
        return scripts.run(Script.COMPLETE, k, args)
                .thenApply(answers -> answers.stream().map(answer -> number(answer) == 1).toList());
    }

    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        Keys k = keys(job.queue());
        long backoffMillis = config.backoff().delayAfter(job.attempt()).toMillis();
        List<Object> answer = call(job.queue(), () -> connections.await(scripts.run(Script.FAIL, k,
                arg(job.id()), arg(job.leaseToken()), arg(error == null ? "" : error), arg(backoffMillis))));
        return switch ((int) number(answer.get(0))) {
            case 1 -> FailResult.retryAt(Instant.ofEpochMilli(number(answer.get(1))));
            case 2 -> FailResult.dead();
            default -> FailResult.leaseLost();
        };
    }

    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        Keys k = keys(job.queue());
        long leaseMillis = Math.max(1, leaseDuration.toMillis());
        return number(call(job.queue(), () -> connections.await(
                scripts.run(Script.EXTEND, k, arg(job.id()), arg(job.leaseToken()), arg(leaseMillis)))).get(0)) == 1;
    }

    // ---------------------------------------------------------------- admin

    @Override
    protected QueueStats doStats(String queue) {
        List<Object> counts = admin(queue, Script.STATS);
        return new QueueStats(number(counts.get(0)), number(counts.get(1)), number(counts.get(2)),
                number(counts.get(3)));
    }

    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        if (limit == 0) {
            return List.of();
        }
        List<Object> values = admin(queue, Script.DEAD_LETTERS, arg(limit));
        List<DeadJob> dead = new ArrayList<>(values.size() / 5);
        for (int i = 0; i < values.size(); i += 5) {
            dead.add(new DeadJob(text(values.get(i)), queue, (byte[]) values.get(i + 1),
                    (int) number(values.get(i + 2)), text(values.get(i + 3)),
                    Instant.ofEpochMilli(number(values.get(i + 4)))));
        }
        return dead;
    }

    @Override
    protected long doRequeueDead(String queue) {
        return number(admin(queue, Script.REQUEUE_DEAD).getFirst());
    }

    @Override
    protected long doPurge(String queue) {
        return number(admin(queue, Script.PURGE).getFirst());
    }

    private List<Object> admin(String queue, Script script, byte[]... args) {
        Keys k = keys(queue);
        return call(queue, () -> connections.await(scripts.run(script, k, args)));
    }

    /**
     * {@code used_memory_bytes} from INFO memory (summed over a cluster's primaries; also {@code stored_bytes}) and
     * {@code keys}: the keys under this backend's prefix, counted by SCAN.
     */
    @Override
    protected Footprint doFootprint() {
        return call("-", () -> {
            long usedMemory = connections.infoOfEveryPrimary("memory").stream()
                    .mapToLong(info -> Long.parseLong(ServerSettings.infoFields(info).getOrDefault("used_memory", "0")))
                    .sum();
            ScanArgs match = ScanArgs.Builder.matches(Keys.pattern(config.prefix())).limit(1000);
            KeyScanCursor<String> cursor = connections.await(connections.commands().scan(match));
            long keyCount = cursor.getKeys().size();
            while (!cursor.isFinished()) {
                cursor = connections.await(connections.commands().scan(cursor, match)); // a cluster cursor spans nodes
                keyCount += cursor.getKeys().size();
            }
            return Footprint.of(Map.of(Footprint.STORED_BYTES, usedMemory, "used_memory_bytes", usedMemory,
                    "keys", keyCount));
        });
    }

    /** Wakes waiting claims (they throw {@link BackendClosedException}), then closes every connection. */
    @Override
    protected void doClose() {
        wakeUps.close();
        connections.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a Redis call; a Lettuce failure becomes a {@link QueueException} (BUSY also counts as a lock error). */
    private <T> T call(String queue, Supplier<T> body) {
        try {
            return body.get();
        } catch (QueueException e) {
            throw isClosed() ? new BackendClosedException(RedisBackendProvider.NAME) : e;
        } catch (RuntimeException e) {
            if (isClosed()) {
                throw new BackendClosedException(RedisBackendProvider.NAME);
            }
            if (Scripts.unwrap(e) instanceof RedisBusyException) {
                metrics.lockError(queue);
            }
            throw connections.translate(e);
        }
    }

    private Keys keys(String queue) {
        return keys.computeIfAbsent(queue, q -> Keys.of(config.prefix(), q));
    }
}
