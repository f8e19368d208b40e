package dev.queuebench.redis;

import static dev.queuebench.redis.Scripts.arg;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueMetrics;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Strategy {@code watch}: optimistic claims with WATCH/MULTI/EXEC, to show what they cost against {@code lua}.
 * Housekeeping (due jobs, expired leases) is {@code claim.lua} with n = 0; then, on a connection of its own, the
 * claim WATCHes the ready set, reads the first n members and their jobs, and moves them to the leased set in
 * MULTI/EXEC. When another client changed the ready set meanwhile, EXEC aborts: the attempt counts as a claim
 * conflict and is repeated, up to {@value #ATTEMPTS} times per call.
 *
 * <p>Each transaction needs a connection no other thread writes to between WATCH and EXEC (Lettuce multiplexes
 * a shared connection), so transactions borrow one from a pool that grows to the number of concurrent claimers;
 * a pool rather than one per thread, because worker threads come and go and their connections would leak.
 */
final class WatchClaim implements Claimer {
    private static final int ATTEMPTS = 16;
    private static final String[] FIELDS =
            {"payload", "priority", "attempt", "max_attempts", "enqueued_at", "claims"};

    private final LuaClaim housekeeping;
    private final RedisConnections connections;
    private final QueueMetrics metrics;
    private final ReplicaWait replicaWait;

    WatchClaim(LuaClaim housekeeping, RedisConnections connections, QueueMetrics metrics, ReplicaWait replicaWait) {
        this.housekeeping = housekeeping;
        this.connections = connections;
        this.metrics = metrics;
        this.replicaWait = replicaWait;
    }

    @Override
    public ClaimBatch claim(Keys keys, int maxJobs, long leaseMillis) {
        ClaimBatch nothing = housekeeping.claim(keys, 0, 0);
        RedisConnections.TransactionConnection borrowed = connections.borrowForTransaction(keys.ready());
        boolean clean = false;
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                ClaimBatch batch = tryOnce(borrowed.connection(), keys, maxJobs, leaseMillis);
                if (batch == null) {
                    metrics.claimConflicts(keys.queue(), 1);
                } else {
                    clean = true;
                    return batch.jobs().isEmpty() ? nothing : batch;
                }
            }
            clean = true;
            // Lost every race: report something due now, so a waiting claim tries again at once.
            return new ClaimBatch(List.of(), nothing.nowMillis(), nothing.nowMillis());
        } finally {
            borrowed.release(clean);
        }
    }

    /**
     * One WATCH/MULTI/EXEC round in three round trips (WATCH + ZRANGE + TIME, the jobs' HMGETs, MULTI ... EXEC),
     * each pipelined on the borrowed connection; {@code null} when EXEC aborted because the ready set changed.
     */
    private ClaimBatch tryOnce(StatefulRedisConnection<String, byte[]> connection, Keys keys, int maxJobs,
            long leaseMillis) {
        RedisAsyncCommands<String, byte[]> redis = connection.async();
        redis.watch(keys.ready());
        RedisFuture<List<byte[]>> candidates = redis.zrange(keys.ready(), 0, maxJobs - 1);
        RedisFuture<List<byte[]>> time = redis.time();
        List<byte[]> members = connections.await(candidates);
        long now = millis(connections.await(time));
        if (members.isEmpty()) {
            connections.await(redis.unwatch());
            return new ClaimBatch(List.of(), now, -1);
        }
        List<String> ids = members.stream().map(WatchClaim::idOf).toList();
        List<RedisFuture<List<KeyValue<String, byte[]>>>> reads = new ArrayList<>(ids.size());
        for (String id : ids) {
            reads.add(redis.hmget(keys.job(id), FIELDS));
        }
        List<List<KeyValue<String, byte[]>>> jobFields = new ArrayList<>(ids.size());
        for (RedisFuture<List<KeyValue<String, byte[]>>> read : reads) {
            List<KeyValue<String, byte[]>> fields = connections.await(read);
            if (fields.stream().anyMatch(field -> !field.hasValue())) {
                // another claimer took and settled the job since ZRANGE: the ready set changed
                connections.await(redis.unwatch());
                return null;
            }
            jobFields.add(fields);
        }
        long expires = now + leaseMillis;
        List<ClaimedJob> jobs = new ArrayList<>(ids.size());
        redis.multi();
        redis.zrem(keys.ready(), members.toArray(byte[][]::new));
        for (int i = 0; i < ids.size(); i++) {
            List<KeyValue<String, byte[]>> fields = jobFields.get(i);
            int attempt = (int) number(fields.get(2)) + 1;
            long claims = number(fields.get(5)) + 1;
            redis.hset(keys.job(ids.get(i)), Map.of("attempt", arg(attempt), "claims", arg(claims)));
            redis.zadd(keys.leased(), (double) expires, arg(ids.get(i)));
            jobs.add(new ClaimedJob(ids.get(i), keys.queue(), fields.get(0).getValue(), (int) number(fields.get(1)),
                    attempt, (int) number(fields.get(3)), Instant.ofEpochMilli(number(fields.get(4))),
                    Instant.ofEpochMilli(expires), ids.get(i) + "-" + claims)); // the token, as token() in common.lua
        }
        TransactionResult result = connections.await(redis.exec());
        if (result.wasDiscarded()) {
            return null;
        }
        connections.await(replicaWait.after(CompletableFuture.completedFuture(result), redis)); // on this connection
        return new ClaimBatch(jobs, now, -1);
    }

    /** The id in a ready-set member: the 15 digits after the 15 digits of run-at (see common.lua). */
    private static String idOf(byte[] member) {
        return Long.toString(Long.parseLong(new String(member, 15, member.length - 15, StandardCharsets.US_ASCII)));
    }

    private static long number(KeyValue<String, byte[]> field) {
        return Long.parseLong(new String(field.getValue(), StandardCharsets.US_ASCII));
    }

    private static long millis(List<byte[]> time) {
        long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII));
        long micros = Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
        return seconds * 1000 + micros / 1000;
    }
}
