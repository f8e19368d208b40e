package dev.queuebench.mariadb;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.jdbc.ConnectionPool;
import dev.queuebench.testsupport.SchemaInstallRace;
import dev.queuebench.testsupport.TestServers;
import dev.queuebench.testsupport.WaitingClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the TCK cannot see (schema installation, wake-ups, killed connections, lock errors, bad input, server facts),
 * on the real server. Each test works in a database of its own, dropped afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariadbBackendTest {
    private static final Duration LEASE = ofSeconds(60);
    private static final String PASSWORD = "hunter2-secret";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<QueueBackend> opened = Collections.synchronizedList(new ArrayList<>());
    private final List<String> databases = new ArrayList<>();
    private final List<String> users = new ArrayList<>();

    /** A fresh database (dropped after the test) on the test server, as a backend URL. */
    private String newDatabase() throws SQLException {
        String database = "qb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin(TestServers.mariadbUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        databases.add(database);
        return TestServers.mariadbUrl().replaceFirst("/[^/?]*(\\?.*)?$", "/" + database + "$1");
    }

    /** A user (dropped after the test) who may do anything, with the password {@link #PASSWORD}. */
    private String newUser() throws SQLException {
        String user = "qb_user_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = admin(TestServers.mariadbUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + user + "'@'%'");
        }
        users.add(user);
        return user;
    }

    private static String withUser(String url, String user, String password) {
        return url.replaceFirst("://([^@/]*@)?", "://" + user + ":" + password + "@");
    }

    /** A backend on {@code url} with these extra keys, closed after the test. */
    private QueueBackend open(String url, String... keyValues) {
        BackendConfig config = BackendConfig.of(Map.of("url", url, "poolSize", "2")).withMeterRegistry(registry);
        for (int i = 0; i < keyValues.length; i += 2) {
            config = config.with(keyValues[i], keyValues[i + 1]);
        }
        QueueBackend backend = QueueBackends.open("mariadb", config);
        opened.add(backend);
        return backend;
    }

    /** A plain connection beside the backend's, for looking at and interfering with the server. */
    private static Connection admin(String url) throws SQLException {
        return MariadbQueueBackend.dataSource(MariadbConfig.from(BackendConfig.of(Map.of("url", url)),
                List.of("skip-locked"))).getConnection();
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        new ArrayList<>(opened).reversed().forEach(QueueBackend::close);
        try (Connection c = admin(TestServers.mariadbUrl()); Statement s = c.createStatement()) {
            for (String database : databases) {
                s.execute("DROP DATABASE IF EXISTS " + database);
            }
            for (String user : users) {
                s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
            }
        }
    }

    @Test
    void schemaInstalledByTwoProcessesAndTwoThreadsAtOnceEndsUpInstalledOnce() throws Exception {
        String url = newDatabase();
        SchemaInstallRace.run(SecondProcess.class, List.of(url, "raced"), () -> open(url, "table", "raced"));

        assertThat(opened.getFirst().stats("from-second-process").ready()).isEqualTo(2);
        try (Connection c = admin(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), min(version) FROM raced_version")) {
            rs.next();
            assertThat(rs.getInt(1)).as("schema_version rows").isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(Schema.VERSION);
        }
    }

    @Test
    void tableOfANewerSchemaVersionIsRefusedNamingTheTable() throws Exception {
        String url = newDatabase();
        open(url).close();
        try (Connection c = admin(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO queuebench_jobs_version VALUES (" + (Schema.VERSION + 1) + ", UTC_TIMESTAMP(6))");
        }

        assertThatThrownBy(() -> open(url))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("table 'queuebench_jobs' holds QueueBench schema version "
                        + (Schema.VERSION + 1));
    }

    @Test
    void waitingClaimWakesOnAnEnqueueThroughTheSameBackendLongBeforeThePollInterval() throws Exception {
        QueueBackend backend = open(newDatabase(), "pollInterval", "20s");

        Duration woken = WaitingClaims.timeToWake(backend, "wake", LEASE,
                () -> backend.enqueue("wake", JobRequest.of(new byte[] {7})), ofSeconds(10));

        assertThat(woken).isLessThan(ofSeconds(5));
        assertThat(backend.capabilities().has(Feature.WAKE_ON_ENQUEUE)).isFalse();
    }

    @Test
    void waitingClaimFindsAJobEnqueuedByAnotherBackendAtItsNextPoll() throws Exception {
        String url = newDatabase();
        QueueBackend consumer = open(url, "pollInterval", "300ms");
        QueueBackend producer = open(url);

        WaitingClaims.timeToWake(consumer, "polled", LEASE,
                () -> producer.enqueue("polled", JobRequest.of(new byte[] {7})), ofSeconds(10));

        assertThat(consumer.capabilities().pollInterval()).isEqualTo(ofMillis(300));
    }

    @Test
    void operationsRecoverAfterKillConnectionOfEverySession() throws Exception {
        String url = newDatabase();
        QueueBackend backend = open(url);
        backend.enqueue("survivor", JobRequest.of(new byte[] {1}));

        assertThat(killConnectionsOf(url)).as("pooled connections killed").isGreaterThanOrEqualTo(1);

        // A borrowed connection may be a dead one: at most that one call fails, and says where the server is.
        await().atMost(ofSeconds(20)).ignoreException(BackendUnavailableException.class)
                .until(() -> backend.stats("survivor").ready() == 1);
        try {
            backend.enqueue("survivor", JobRequest.of(new byte[] {2}));
        } catch (BackendUnavailableException e) {
            assertThat(e).hasMessageContaining("MariaDB at 127.0.0.1:");
            backend.enqueue("survivor", JobRequest.of(new byte[] {2}));
        }
        List<ClaimedJob> claimed = backend.claim("survivor", 10, LEASE, ZERO);
        assertThat(claimed).hasSize(2);
        assertThat(backend.completeAll(claimed)).containsExactly(true, true);
        assertThat(backend.stats("survivor").total()).isZero();
    }

    @Test
    void optimisticClaimCountsTheCandidateItLostAsAConflict() throws Exception {
        String url = newDatabase();
        QueueBackend backend = open(url, "strategy", "optimistic");
        String id = backend.enqueue("contested", JobRequest.of(new byte[] {1}));
        try (Connection rival = admin(url)) {
            rival.setAutoCommit(false);
            try (PreparedStatement lock = rival.prepareStatement(
                    "UPDATE queuebench_jobs SET run_at = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE id = ?")) {
                lock.setLong(1, Long.parseLong(id));
                lock.executeUpdate();
            }
            // The claim reads the job as a candidate (the rival has not committed), then waits for its row lock ...
            CompletableFuture<List<ClaimedJob>> claim =
                    CompletableFuture.supplyAsync(() -> backend.claim("contested", 1, LEASE, ZERO));
            await().atMost(ofSeconds(10)).until(() -> waitingForALock(url));
            // ... and finds it no longer claimable once the rival commits.
            rival.commit();

            assertThat(claim.get(10, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(counted(QueueMetrics.CLAIM_CONFLICTS, "contested")).isEqualTo(1.0);
        assertThat(counted(QueueMetrics.CLAIM_EMPTY, "contested")).isEqualTo(1.0);
    }

    @Test
    void lockWaitTimeoutIsCountedRetriedAndNamedWithItsErrorCode() throws Exception {
        String url = newDatabase();
        QueueBackend backend = open(url, "lockWaitTimeout", "1");
        backend.enqueue("held", JobRequest.of(new byte[] {1}));
        ClaimedJob job = backend.claim("held", 1, LEASE, ZERO).getFirst();
        try (Connection rival = admin(url)) {
            rival.setAutoCommit(false);
            try (Statement lock = rival.createStatement()) {
                lock.executeQuery("SELECT id FROM queuebench_jobs WHERE id = " + job.id() + " FOR UPDATE").close();
            }

            assertThatThrownBy(() -> backend.complete(job))
                    .isInstanceOf(QueueException.class)
                    .hasMessageContaining("error 1205")
                    .hasMessageContaining("'lockWaitTimeout' (1 s");
            rival.rollback();
        }
        assertThat(counted(QueueMetrics.LOCK_ERRORS, "held")).isEqualTo(3.0);
        assertThat(backend.complete(job)).isTrue();
    }

    @Test
    void deadlockVictimIsCountedAndTriedAgain() throws Exception {
        String url = newDatabase();
        QueueBackend backend = open(url);
        backend.enqueueAll("crossed", List.of(JobRequest.of(new byte[] {1}), JobRequest.of(new byte[] {2})));
        List<ClaimedJob> jobs = backend.claim("crossed", 2, LEASE, ZERO);
        long first = Long.parseLong(jobs.get(0).id());
        long second = Long.parseLong(jobs.get(1).id());
        try (Connection rival = admin(url); Statement s = rival.createStatement()) {
            rival.setAutoCommit(false);
            // Heavier than the backend's statement, so that InnoDB picks the backend's as the deadlock's victim.
            s.executeUpdate("INSERT INTO queuebench_jobs (queue, priority, run_at, enqueued_at, max_attempts, payload)"
                    + " SELECT 'ballast', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 1, '' FROM seq_1_to_200");
            s.executeUpdate("UPDATE queuebench_jobs SET last_error = 'rival' WHERE id = " + second);
            // completeAll deletes in id order: it takes the first row, then waits for the rival's second ...
            CompletableFuture<List<Boolean>> completion =
                    CompletableFuture.supplyAsync(() -> backend.completeAll(jobs));
            await().atMost(ofSeconds(10)).until(() -> waitingForALock(url));
            // ... and the rival asking for the first closes the cycle; the victim's statement rolls back.
            s.executeUpdate("UPDATE queuebench_jobs SET last_error = 'rival' WHERE id = " + first);
            rival.rollback();

            assertThat(completion.get(20, TimeUnit.SECONDS)).containsExactly(true, true);
        }
        assertThat(counted(QueueMetrics.LOCK_ERRORS, "crossed")).isEqualTo(1.0);
        assertThat(backend.stats("crossed").total()).isZero();
    }

    @Test
    void batchLargerThanMaxAllowedPacketIsStoredWholeAndInOrder() throws Exception {
        String url = newDatabase();
        QueueBackend backend = open(url);
        long packet = Long.parseLong(backend.serverInfo().get("max_allowed_packet"));
        byte[] payload = new byte[backend.capabilities().maxPayloadBytes()];
        new Random(7).nextBytes(payload);
        int jobs = (int) (packet / payload.length) + 3; // more than one statement can carry
        List<String> ids = backend.enqueueAll("big", IntStream.range(0, jobs)
                .mapToObj(i -> JobRequest.of(payload).withPriority(-i)).toList());

        assertThat(ids).hasSize(jobs);
        assertThat(ids.stream().map(Long::parseLong).toList()).isSorted();
        List<ClaimedJob> claimed = new ArrayList<>();
        while (claimed.size() < jobs) {
            claimed.addAll(backend.claim("big", 2, LEASE, ZERO));
        }
        assertThat(claimed).extracting(ClaimedJob::id).containsExactlyElementsOf(ids);
        assertThat(claimed.getLast().payload()).isEqualTo(payload);
    }

    @Test
    void unreachablePortFailsFastNamingTheAddressAndAHint() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> QueueBackends.open("mariadb", BackendConfig.of(Map.of(
                        "url", "mariadb://root:hunter2@127.0.0.1:1/test", "connectTimeout", "2s"))))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("cannot reach MariaDB at 127.0.0.1:1")
                .hasMessageContaining("is MariaDB running?")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ofSeconds(10));
    }

    @Test
    void wrongPasswordIsNamedWithoutThePassword() throws Exception {
        String url = withUser(TestServers.mariadbUrl(), newUser(), "hunter2-wrong");

        assertThatThrownBy(() -> QueueBackends.open("mariadb", BackendConfig.of(Map.of("url", url))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("refused user 'qb_user_")
                .hasMessageContaining("check the user and password in 'url'")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void freshBackendHoldsOnePoolConnectionAndOpensMoreOnlyWhileLoadHoldsThem() throws Exception {
        String database = newDatabase();
        String user = newUser();
        int poolSize = 4;
        int heldAtOnce = 3;
        QueueBackend backend = open(withUser(database, user, PASSWORD), "poolSize", String.valueOf(poolSize));
        backend.enqueue("demand", JobRequest.of(new byte[] {1}));
        backend.completeAll(backend.claim("demand", 1, LEASE, ZERO));

        // One call at a time needs one connection: the pool has opened no others.
        assertThat(connectionsOf(user, "TRUE")).isEqualTo(ConnectionPool.IDLE_KEPT);

        // Enqueues stalled behind a table lock each hold a connection: the pool opens one for each of them.
        String table = database(database) + "." + MariadbConfig.TABLE.defaultText();
        ExecutorService threads = Executors.newFixedThreadPool(heldAtOnce);
        try (Connection rival = admin(TestServers.mariadbUrl()); Statement lock = rival.createStatement()) {
            lock.execute("LOCK TABLES " + table + " WRITE");
            List<Future<String>> stalled = new ArrayList<>();
            for (int i = 0; i < heldAtOnce; i++) {
                stalled.add(threads.submit(() -> backend.enqueue("demand", JobRequest.of(new byte[] {2}))));
            }
            await().atMost(ofSeconds(20)).until(() -> connectionsOf(user, "COMMAND = 'Query'") == heldAtOnce);
            assertThat(connectionsOf(user, "TRUE")).isBetween(heldAtOnce, poolSize);
            lock.execute("UNLOCK TABLES");
            for (Future<String> enqueue : stalled) {
                assertThat(enqueue.get(20, TimeUnit.SECONDS)).isNotBlank();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(backend.stats("demand").ready()).isEqualTo(heldAtOnce);
    }

    /** How many of {@code user}'s connections the server lists that match {@code condition} (SQL on PROCESSLIST). */
    private static int connectionsOf(String user, String condition) throws SQLException {
        try (Connection c = admin(TestServers.mariadbUrl()); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM information_schema.PROCESSLIST WHERE USER = ? AND " + condition)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void missingDatabaseIsNamedWithoutThePassword() throws Exception {
        String url = withUser(TestServers.mariadbUrl(), newUser(), PASSWORD)
                .replaceFirst("/[^/?]*(\\?.*)?$", "/no_such_queuebench_db$1");

        assertThatThrownBy(() -> QueueBackends.open("mariadb", BackendConfig.of(Map.of("url", url))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("database 'no_such_queuebench_db' does not exist on MariaDB at "
                        + MariadbConfig.from(BackendConfig.of(Map.of("url", url)), List.of("x")).address()
                        + "; create it or fix 'url'");
    }

    @Test
    void footprintAndServerInfoDescribeTheTableAndServerWithoutSecrets() throws Exception {
        QueueBackend backend = open(newDatabase());
        backend.enqueueAll("measured", List.of(JobRequest.of(new byte[1000]), JobRequest.of(new byte[1000])));

        assertThat(backend.footprint().figures())
                .containsKeys("table_bytes", "index_bytes", "free_bytes", "rows_estimate", "history_list_length")
                .allSatisfy((name, value) -> assertThat(value).as(name).isNotNegative());
        assertThat(backend.footprint().figures().get("table_bytes")).isPositive();
        Map<String, Long> figures = backend.footprint().figures();
        assertThat(figures).containsEntry("stored_bytes", figures.get("table_bytes") + figures.get("index_bytes"));
        Map<String, String> info = backend.serverInfo();
        assertThat(info).containsKeys("server_version", "innodb_flush_log_at_trx_commit", "sync_binlog", "log_bin",
                "innodb_buffer_pool_size", "max_allowed_packet");
        assertThat(info.get("server_version")).contains("MariaDB");
        assertThat(info.get("strategy")).isEqualTo("skip-locked");
        assertThat(info.values()).noneMatch(v -> v.contains("password"));
    }

    @Test
    void declaredDurabilityIsTheOneTheServerSettingsGive() throws Exception {
        QueueBackend backend = open(newDatabase());
        Map<String, String> settings = new java.util.HashMap<>();
        try (Connection c = admin(TestServers.mariadbUrl()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@innodb_flush_log_at_trx_commit, @@log_bin, @@sync_binlog")) {
            rs.next();
            settings.put("innodb_flush_log_at_trx_commit", rs.getString(1));
            settings.put("log_bin", rs.getInt(2) == 1 ? "ON" : "OFF");
            settings.put("sync_binlog", rs.getString(3));
        }

        assertThat(backend.capabilities().durability()).isEqualTo(new ServerSettings(settings).durability());
        assertThat(backend.serverInfo()).containsEntry("durability", backend.capabilities().durability().name());
    }

    private double counted(String counter, String queue) {
        var found = registry.find(counter).tag(QueueMetrics.TAG_QUEUE, queue).counter();
        return found == null ? 0 : found.count();
    }

    private static String database(String url) {
        return MariadbConfig.from(BackendConfig.of(Map.of("url", url)), List.of("x")).database();
    }

    /** KILL CONNECTION on every session of the URL's database but this one; returns how many. */
    private static int killConnectionsOf(String url) throws SQLException {
        int killed = 0;
        try (Connection c = admin(url); Statement s = c.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM information_schema.PROCESSLIST WHERE db = '"
                    + database(url) + "' AND id <> CONNECTION_ID()")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                s.execute("KILL CONNECTION " + id);
                killed++;
            }
        }
        return killed;
    }

    /** True while a session of the URL's database waits for a row lock. */
    private static boolean waitingForALock(String url) throws SQLException {
        try (Connection c = admin(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.INNODB_TRX AS t"
                        + " JOIN information_schema.PROCESSLIST AS p ON p.id = t.trx_mysql_thread_id"
                        + " WHERE t.trx_state = 'LOCK WAIT' AND p.db = '" + database(url) + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
