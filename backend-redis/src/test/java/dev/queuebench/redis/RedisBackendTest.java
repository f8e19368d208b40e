package dev.queuebench.redis;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.api.QueueStats;
import dev.queuebench.testsupport.TestServers;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour beyond the TCK: script reloading, wake-ups, reconnection, lost servers, durability, footprint. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisBackendTest {
    private static final Duration LEASE = ofSeconds(60);

    private final String prefix = "qbtest-" + UUID.randomUUID().toString().substring(0, 8);
    private final String clientName = prefix;
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** Where the backends {@link #open} opens record. */
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        RedisTckTest.deleteKeysUnder(TestServers.redisUrl(), prefix);
    }

    @Test
    void scriptsAreLoadedAgainAfterScriptFlush() {
        QueueBackend q = open(Map.of());
        q.enqueue("flush", JobRequest.of(bytes("before")));

        admin(TestServers.redisUrl()).scriptFlush();

        q.enqueueAll("flush", List.of(JobRequest.of(bytes("after")), JobRequest.of(bytes("after"))));
        List<ClaimedJob> jobs = q.claim("flush", 3, LEASE, ZERO);
        assertThat(jobs).extracting(job -> new String(job.payload(), StandardCharsets.UTF_8))
                .containsExactly("before", "after", "after");
        admin(TestServers.redisUrl()).scriptFlush();
        assertThat(q.completeAll(jobs)).containsExactly(true, true, true);
        assertThat(q.stats("flush").total()).isZero();
    }

    @Test
    void waitingClaimIsWokenByAnEnqueueLongBeforeItsPollInterval() throws Exception {
        QueueBackend q = open(Map.of("pollInterval", "30s"));
        QueueBackend producer = open(Map.of());
        CompletableFuture<List<ClaimedJob>> waiting = CompletableFuture.supplyAsync(
                () -> q.claim("wake", 1, LEASE, ofSeconds(40)));
        awaitSubscribers(TestServers.redisUrl(), "wake", 1);

        long start = System.nanoTime();
        String id = producer.enqueue("wake", JobRequest.of(bytes("now")));

        assertThat(waiting.get(20, TimeUnit.SECONDS)).extracting(ClaimedJob::id).containsExactly(id);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ofSeconds(10));
    }

    @Test
    void waitingClaimTakesAJobScheduledWhileItWaitsWhenItComesDueNotAtItsPollInterval() throws Exception {
        QueueBackend q = open(Map.of("pollInterval", "30s", "backoffBase", "300ms"));
        q.enqueue("later", JobRequest.of(bytes("retry me")));
        ClaimedJob first = q.claim("later", 1, LEASE, ZERO).getFirst();
        CompletableFuture<List<ClaimedJob>> waiting = CompletableFuture.supplyAsync(
                () -> q.claim("later", 1, LEASE, ofSeconds(40)));
        awaitSubscribers(TestServers.redisUrl(), "later", 1);

        q.fail(first, "try again");
        String delayed = q.enqueue("later", JobRequest.of(bytes("delayed")).withRunAt(Instant.now().plusMillis(300)));

        ClaimedJob retried = waiting.get(20, TimeUnit.SECONDS).getFirst();
        assertThat(retried.id()).isEqualTo(first.id());
        assertThat(retried.attempt()).isEqualTo(2);
        CompletableFuture<List<ClaimedJob>> next = CompletableFuture.supplyAsync(
                () -> q.claim("later", 1, LEASE, ofSeconds(40)));
        assertThat(next.get(20, TimeUnit.SECONDS)).extracting(ClaimedJob::id).containsExactly(delayed);
    }

    @Test
    void backendReconnectsAfterItsConnectionsAreKilled() throws Exception {
        QueueBackend q = open(Map.of("pollInterval", "30s"));
        q.enqueue("killed", JobRequest.of(bytes("before")));
        RedisCommands<String, String> admin = admin(TestServers.redisUrl());
        List<Long> ours = clientIds(admin);
        assertThat(ours).as("the shared and the pub/sub connection").hasSizeGreaterThanOrEqualTo(2);

        ours.forEach(id -> admin.clientKill(KillArgs.Builder.id(id)));

        await().atMost(ofSeconds(20)).ignoreException(BackendUnavailableException.class)
                .untilAsserted(() -> assertThat(q.enqueue("killed", JobRequest.of(bytes("after")))).isNotBlank());
        assertThat(clientIds(admin)).doesNotContainAnyElementsOf(ours);
        assertThat(q.claim("killed", 2, LEASE, ZERO)).hasSize(2);
        CompletableFuture<List<ClaimedJob>> waiting = CompletableFuture.supplyAsync(
                () -> q.claim("killed", 1, LEASE, ofSeconds(40)));
        awaitSubscribers(TestServers.redisUrl(), "killed", 1);
        String id = q.enqueue("killed", JobRequest.of(bytes("wake")));
        assertThat(waiting.get(20, TimeUnit.SECONDS)).extracting(ClaimedJob::id).containsExactly(id);
    }

    @Test
    void lostServerFailsCallsFastAndTheBackendRecoversWhenItReturns() {
        LocalRedisServers server = own(LocalRedisServers.standalone());
        int port = server.ports().getFirst();
        QueueBackend q = open(Map.of("url", server.url(), "commandTimeout", "1s"));
        q.enqueue("lost", JobRequest.of(bytes("x")));

        server.kill(port);

        long start = System.nanoTime();
        assertThatThrownBy(() -> q.enqueue("lost", JobRequest.of(bytes("y"))))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThatThrownBy(() -> q.claim("lost", 1, LEASE, ZERO)).isInstanceOf(BackendUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ofSeconds(10));

        server.restart(port);

        await().atMost(ofSeconds(30)).ignoreException(BackendUnavailableException.class)
                .untilAsserted(() -> assertThat(q.enqueue("lost", JobRequest.of(bytes("z")))).isNotBlank());
        assertThat(q.claim("lost", 5, LEASE, ZERO)).extracting(job -> new String(job.payload(), StandardCharsets.UTF_8))
                .containsExactly("z");
    }

    @Test
    void unreachableServerFailsWithinSecondsNamingTheAddressButNotThePassword() {
        String url = "redis://alice:s3cr3t-pw@127.0.0.1:1";
        long start = System.nanoTime();

        assertThatThrownBy(() -> open(Map.of("url", url, "connectTimeout", "1s")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("alice:****@")
                .hasMessageNotContaining("s3cr3t");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ofSeconds(10));
    }

    @Test
    void passwordIsUsedButNeverShown() {
        LocalRedisServers server = own(LocalRedisServers.standalone("--requirepass", "pa55-word"));
        int port = server.ports().getFirst();
        QueueBackend q = open(Map.of("url", "redis://:pa55-word@127.0.0.1:" + port));
        String id = q.enqueue("secret", JobRequest.of(bytes("x")));

        assertThat(q.claim("secret", 1, LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(id);
        assertThat(q.serverInfo().toString()).doesNotContain("pa55-word");
        assertThatThrownBy(() -> open(Map.of("url", "redis://:wrong-word@127.0.0.1:" + port)))
                .isInstanceOf(QueueException.class)
                .hasMessageNotContaining("wrong-word");
    }

    @Test
    void durabilityFollowsTheServersPersistenceSettings() {
        LocalRedisServers always = own(LocalRedisServers.standalone("--appendonly", "yes", "--appendfsync", "always"));
        LocalRedisServers everysec = own(LocalRedisServers.standalone("--appendonly", "yes"));
        LocalRedisServers evicting = own(LocalRedisServers.standalone("--appendonly", "yes",
                "--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"));

        assertThat(open(Map.of("url", always.url())).capabilities().durability()).isEqualTo(Durability.DURABLE);
        assertThat(open(Map.of("url", everysec.url())).capabilities().durability()).isEqualTo(Durability.CRASH_SAFE);
        assertThat(open(Map.of("url", evicting.url())).capabilities().durability()).isEqualTo(Durability.VOLATILE);
        LocalRedisServers noConfig = own(LocalRedisServers.standalone("--appendonly", "yes", "--rename-command",
                "CONFIG", ""));
        QueueBackend managed = open(Map.of("url", noConfig.url()));
        assertThat(managed.capabilities().durability()).isEqualTo(Durability.VOLATILE);
        assertThat(managed.serverInfo()).containsEntry("config_readable", "false");
        assertThat(open(Map.of()).serverInfo())
                .containsEntry("durability", "VOLATILE") // the shared server: no AOF
                .containsKeys("server_version", "maxmemory_policy", "appendonly", "save");
    }

    @Test
    void busyServerCountsALockError() throws Exception {
        LocalRedisServers server = own(LocalRedisServers.standalone("--busy-reply-threshold", "50"));
        QueueBackend q = own(QueueBackends.open("redis", BackendConfig.of(Map.of("url", server.url(),
                "clientName", clientName)).withMeterRegistry(registry)));
        RedisCommands<String, String> blocker = admin(server.url());
        CompletableFuture<Object> busyScript = CompletableFuture.supplyAsync(() -> blocker.eval(
                "local t = redis.call('TIME') while true do local n = redis.call('TIME') "
                        + "if n[1] - t[1] > 2 then return 1 end end", ScriptOutputType.INTEGER));
        await().atMost(ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> q.enqueue("busy", JobRequest.of(bytes("x")))).isInstanceOf(QueueException.class)
                .hasMessageContaining("BUSY"));

        assertThat(registry.get(QueueMetrics.LOCK_ERRORS).tag("queue", "busy").counter().count()).isPositive();
        busyScript.get(20, TimeUnit.SECONDS);
    }

    @Test
    void eitherStrategyTimesTheClaimThatLeasedAJobAndNotTheEmptyOne() {
        for (String strategy : List.of("lua", "watch")) {
            QueueBackend q = open(Map.of("strategy", strategy));
            q.enqueue(strategy, JobRequest.of(bytes("x")));
            assertThat(q.claim(strategy, 1, LEASE, ZERO)).hasSize(1);
            assertThat(q.claim(strategy, 1, LEASE, ZERO)).isEmpty();

            assertThat(registry.get(QueueMetrics.CLAIM_STATEMENT).tag(QueueMetrics.TAG_QUEUE, strategy).timer()
                    .count()).as(strategy).isEqualTo(1);
        }
    }

    @Test
    void footprintCountsTheKeysUnderThePrefix() {
        QueueBackend q = open(Map.of());
        q.enqueueAll("mem", List.of(JobRequest.of(bytes("a")), JobRequest.of(bytes("b"))));
        q.enqueue("mem", JobRequest.of(bytes("later")).withRunAt(Instant.now().plusSeconds(600)));

        // 3 job hashes, the ready and scheduled sets, the id counter
        assertThat(q.footprint().figures()).containsEntry("keys", 6L).containsKey("used_memory_bytes");
        assertThat(q.footprint().figures().get("used_memory_bytes")).isPositive();
        assertThat(q.footprint().storedBytes()).isPresent();
        q.purge("mem");
        assertThat(q.footprint().figures()).containsEntry("keys", 1L);
    }

    @Test
    void completeAllAcrossQueuesAnswersEachJobInItsPlace() {
        QueueBackend q = open(Map.of());
        q.enqueueAll("left", List.of(JobRequest.of(bytes("l1")), JobRequest.of(bytes("l2"))));
        q.enqueueAll("right", List.of(JobRequest.of(bytes("r1")), JobRequest.of(bytes("r2"))));
        List<ClaimedJob> left = q.claim("left", 2, LEASE, ZERO);
        List<ClaimedJob> right = q.claim("right", 2, LEASE, ZERO);
        assertThat(q.complete(right.get(0))).isTrue();

        List<Boolean> answers = q.completeAll(List.of(right.get(0), left.get(1), right.get(1), left.get(0)));

        assertThat(answers).containsExactly(false, true, true, true);
        assertThat(q.stats("left").total() + q.stats("right").total()).isZero();
    }

    @Test
    void leaseTokenFromBeforeAPurgeNeverMatchesALaterJob() {
        QueueBackend q = open(Map.of());
        q.enqueue("purged", JobRequest.of(bytes("old")));
        ClaimedJob old = q.claim("purged", 1, LEASE, ZERO).getFirst();
        q.purge("purged");

        String id = q.enqueue("purged", JobRequest.of(bytes("new")));
        ClaimedJob current = q.claim("purged", 1, LEASE, ZERO).getFirst();

        assertThat(id).isNotEqualTo(old.id());
        ClaimedJob forged = new ClaimedJob(current.id(), "purged", old.payload(), 0, 1, 5, old.enqueuedAt(),
                old.leaseExpiresAt(), old.leaseToken());
        assertThat(q.complete(forged)).isFalse();
        assertThat(q.complete(current)).isTrue();
    }

    @Test
    void statsCountAnExpiredLeaseWhereItBelongsBeforeAnyClaimMovesIt() {
        QueueBackend q = open(Map.of());
        q.enqueue("expired", JobRequest.of(bytes("again")).withMaxAttempts(2));
        q.enqueue("expired", JobRequest.of(bytes("last")).withMaxAttempts(1));
        List<ClaimedJob> jobs = q.claim("expired", 2, Duration.ofMillis(200), ZERO);
        assertThat(q.stats("expired")).isEqualTo(new QueueStats(0, 0, 2, 0));

        await().atMost(ofSeconds(10)).untilAsserted(() ->
                assertThat(q.stats("expired")).isEqualTo(new QueueStats(1, 0, 0, 1)));
        assertThat(q.completeAll(jobs)).containsExactly(false, false);
    }

    // ---------------------------------------------------------------- helpers

    private QueueBackend open(Map<String, String> settings) {
        BackendConfig config = BackendConfig.of(Map.of("url", TestServers.redisUrl(), "prefix", prefix,
                "clientName", clientName)).withMeterRegistry(registry);
        for (var entry : settings.entrySet()) {
            config = config.with(entry.getKey(), entry.getValue());
        }
        return own(QueueBackends.open("redis", config));
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    private RedisCommands<String, String> admin(String url) {
        RedisClient client = RedisClient.create(url);
        StatefulRedisConnection<String, String> connection = client.connect();
        resources.add(client::shutdown);
        resources.add(connection);
        return connection.sync();
    }

    /** Ids of this test's connections (by client name) in CLIENT LIST. */
    private List<Long> clientIds(RedisCommands<String, String> admin) {
        List<Long> ids = new ArrayList<>();
        for (String line : admin.clientList().split("\n")) {
            if (line.contains(" name=" + clientName + " ")) {
                ids.add(Long.parseLong(line.substring(3, line.indexOf(' '))));
            }
        }
        return ids;
    }

    private void awaitSubscribers(String url, String queue, int count) {
        RedisCommands<String, String> admin = admin(url);
        String channel = "{" + prefix + ":" + queue + "}:wake";
        // a resubscribe after killed connections waits for Lettuce's reconnect, which a busy machine delays
        await().atMost(ofSeconds(30)).until(() -> admin.pubsubNumsub(channel).get(channel) >= count);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
