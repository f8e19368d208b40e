package dev.queuebench.redis;

import static dev.queuebench.redis.Scripts.arg;
import static dev.queuebench.redis.Scripts.number;
import static dev.queuebench.redis.Scripts.text;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.redis.Scripts.Script;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Strategy {@code lua}: {@code claim.lua} does housekeeping and leases in one atomic step, so it never conflicts. */
final class LuaClaim implements Claimer {
    private static final int VALUES_PER_JOB = 7;

    private final Scripts scripts;
    private final RedisConnections connections;

    LuaClaim(Scripts scripts, RedisConnections connections) {
        this.scripts = scripts;
        this.connections = connections;
    }

    @Override
    public ClaimBatch claim(Keys keys, int maxJobs, long leaseMillis) {
        List<Object> answer = connections.await(scripts.run(Script.CLAIM, keys, arg(maxJobs), arg(leaseMillis)));
        long now = number(answer.get(0));
        Instant expires = Instant.ofEpochMilli(now + leaseMillis);
        List<ClaimedJob> jobs = new ArrayList<>((answer.size() - 2) / VALUES_PER_JOB);
        for (int i = 2; i < answer.size(); i += VALUES_PER_JOB) {
            jobs.add(new ClaimedJob(
                    text(answer.get(i)),
                    keys.queue(),
                    (byte[]) answer.get(i + 1),
                    (int) number(answer.get(i + 2)),
                    (int) number(answer.get(i + 3)),
                    (int) number(answer.get(i + 4)),
                    Instant.ofEpochMilli(number(answer.get(i + 5))),
                    expires,
                    text(answer.get(i + 6))));
        }
        return new ClaimBatch(jobs, now, number(answer.get(1)));
    }
}
