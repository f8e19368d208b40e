package dev.queuebench.postgres;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.api.QueueStats;
import dev.queuebench.jdbc.ConnectionPool;
import dev.queuebench.testsupport.SchemaInstallRace;
import dev.queuebench.testsupport.TestServers;
import dev.queuebench.testsupport.WaitingClaims;
import io.micrometer.core.instrument.Timer;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the TCK cannot see (schema installation, NOTIFY, connection loss, errors, vacuum), on the real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresBackendTest {
    private static final Duration LEASE = ofSeconds(60);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<QueueBackend> opened = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();

    /** A backend on a fresh schema of its own (dropped after the test), with these extra keys. */
    private QueueBackend open(String schema, String... keyValues) {
        BackendConfig config = config(schema).withMeterRegistry(registry);
        for (int i = 0; i < keyValues.length; i += 2) {
            config = config.with(keyValues[i], keyValues[i + 1]);
        }
        QueueBackend backend = QueueBackends.open("postgres", config);
        synchronized (opened) {
            opened.add(backend);
        }
        return backend;
    }

    private String newSchema() {
        String schema = "qb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        schemas.add(schema);
        return schema;
    }

    private static BackendConfig config(String schema) {
        return BackendConfig.of(Map.of("url", TestServers.postgresUrl(), "schema", schema, "poolSize", "2"));
    }

    /** A plain connection beside the backend's, for looking at and interfering with the server. */
    private static Connection admin(String schema) throws SQLException {
        return PostgresQueueBackend.dataSource(PostgresConfig.from(config(schema), List.of("skip-locked")))
                .getConnection();
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        opened.reversed().forEach(QueueBackend::close);
        try (Connection c = admin("public"); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void schemaInstalledByTwoProcessesAndTwoThreadsAtOnceEndsUpInstalledOnce() throws Exception {
        String schema = newSchema();
        SchemaInstallRace.run(SecondProcess.class, List.of(TestServers.postgresUrl(), schema), () -> open(schema));

        assertThat(opened.getFirst().stats("from-second-process").ready()).isEqualTo(2);
        try (Connection c = admin(schema); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), min(version) FROM " + schema + ".schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).as("schema_version rows").isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(Schema.VERSION);
        }
    }

    @Test
    void schemaOfAnEarlierVersionIsUpgradedKeepingItsJobs() throws Exception {
        String schema = newSchema();
        String id = open(schema).enqueue("kept", JobRequest.of(new byte[] {1}));
        try (Connection c = admin(schema); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + schema + ".jobs RESET (vacuum_truncate)");
            s.execute("UPDATE " + schema + ".schema_version SET version = 1");
        }

        QueueBackend upgraded = open(schema);

        assertThat(upgraded.claim("kept", 1, LEASE, ZERO)).extracting(ClaimedJob::id).containsExactly(id);
        try (Connection c = admin(schema); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT version FROM " + schema + ".schema_version), "
                        + "(SELECT reloptions FROM pg_class WHERE oid = '" + schema + ".jobs'::regclass)::text")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION);
            assertThat(rs.getString(2)).contains("vacuum_truncate=false", "fillfactor=80");
        }
    }

    @Test
    void waitingClaimWakesOnNotifyLongBeforeThePollInterval() throws Exception {
        Duration woken = wakeWaitingClaim("wake");

        assertThat(woken).isLessThan(ofSeconds(2));
    }

    @Test
    void claimStatementTimesTheAttemptThatLeasedTheJobNotTheWaitBeforeIt() throws Exception {
        wakeWaitingClaim("timed");

        Timer statement = registry.get(QueueMetrics.CLAIM_STATEMENT).tag(QueueMetrics.TAG_QUEUE, "timed").timer();
        Timer claim = registry.get(QueueMetrics.OP).tag(QueueMetrics.TAG_QUEUE, "timed")
                .tag(QueueMetrics.TAG_OP, QueueMetrics.Op.CLAIM.tag()).timer();
        assertThat(statement.count()).as("only the attempt that leased the job").isEqualTo(1);
        // the claim parked 300 ms before the enqueue: the statement is the claim's time less (most of) that wait
        assertThat(statement.totalTime(TimeUnit.MILLISECONDS)).isPositive()
                .isLessThan(claim.totalTime(TimeUnit.MILLISECONDS) - 250);
    }

    @Test
    void operationsRecoverAfterTheServerTerminatesEveryConnection() throws Exception {
        String schema = newSchema();
        QueueBackend backend = open(schema, "pollInterval", "10s");
        backend.enqueue("survivor", JobRequest.of(new byte[] {1}));
        await().atMost(ofSeconds(20)).until(() -> listenersOf(schema) == 1); // the state the count below relies on

        assertThat(terminateConnectionsOf(schema)).as("pool and listener connections").isGreaterThanOrEqualTo(2);

        // A borrowed connection may be a dead one: at most that one call fails, and says where the server is.
        await().atMost(ofSeconds(20)).ignoreException(BackendUnavailableException.class)
                .until(() -> backend.stats("survivor").ready() == 1);
        try {
            backend.enqueue("survivor", JobRequest.of(new byte[] {2}));
        } catch (BackendUnavailableException e) {
            assertThat(e).hasMessageContaining(PostgresConfig.from(config(schema), List.of("x")).address());
            backend.enqueue("survivor", JobRequest.of(new byte[] {2}));
        }
        List<ClaimedJob> claimed = backend.claim("survivor", 10, LEASE, ZERO);
        assertThat(claimed).hasSize(2);
        assertThat(backend.completeAll(claimed)).containsExactly(true, true);

        // The listener reconnects by itself, and a waiting claim is woken by NOTIFY again.
        await().atMost(ofSeconds(20)).until(() -> listenersOf(schema) == 1);
        assertThat(WaitingClaims.timeToWake(backend, "survivor", LEASE,
                () -> backend.enqueue("survivor", JobRequest.of(new byte[] {3})), ofSeconds(5)))
                .isLessThan(ofSeconds(2));
    }

    @Test
    void freshBackendHoldsOnePoolConnectionAndOpensMoreOnlyWhileLoadHoldsThem() throws Exception {
        String schema = newSchema();
        int poolSize = 4;
        int heldAtOnce = 3;
        QueueBackend backend = open(schema, "poolSize", String.valueOf(poolSize));
        backend.enqueue("demand", JobRequest.of(new byte[] {1}));
        backend.completeAll(backend.claim("demand", 1, LEASE, ZERO));
        await().atMost(ofSeconds(20)).until(() -> listenersOf(schema) == 1);

        // One call at a time needs one connection: the pool has opened no others.
        assertThat(poolConnectionsOf(schema)).isEqualTo(ConnectionPool.IDLE_KEPT);

        // Enqueues stalled behind a table lock each hold a connection: the pool opens one for each of them.
        ExecutorService threads = Executors.newFixedThreadPool(heldAtOnce);
        try (Connection rival = admin(schema)) {
            rival.setAutoCommit(false);
            try (Statement lock = rival.createStatement()) {
                lock.execute("LOCK TABLE " + schema + ".jobs IN ACCESS EXCLUSIVE MODE");
            }
            List<Future<String>> stalled = new ArrayList<>();
            for (int i = 0; i < heldAtOnce; i++) {
                stalled.add(threads.submit(() -> backend.enqueue("demand", JobRequest.of(new byte[] {2}))));
            }
            await().atMost(ofSeconds(20)).until(() -> count(schema, "wait_event_type = 'Lock'") == heldAtOnce);
            assertThat(poolConnectionsOf(schema)).isBetween(heldAtOnce, poolSize);
            rival.commit();
            for (Future<String> enqueue : stalled) {
                assertThat(enqueue.get(20, TimeUnit.SECONDS)).isNotBlank();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(backend.stats("demand").ready()).isEqualTo(heldAtOnce);
    }

    @Test
    void optimisticClaimCountsTheCandidateItLostAsAConflict() throws Exception {
        String schema = newSchema();
        QueueBackend backend = open(schema, "strategy", "optimistic");
        String id = backend.enqueue("contested", JobRequest.of(new byte[] {1}));
        try (Connection rival = admin(schema)) {
            rival.setAutoCommit(false);
            try (PreparedStatement lock = rival.prepareStatement(
                    "UPDATE " + schema + ".jobs SET run_at = now() + interval '1 hour' WHERE id = ?")) {
                lock.setLong(1, Long.parseLong(id));
                lock.executeUpdate();
            }
            // The claim reads the job as a candidate, then waits for the rival's row lock ...
            CompletableFuture<List<ClaimedJob>> claim =
                    CompletableFuture.supplyAsync(() -> backend.claim("contested", 1, LEASE, ZERO));
            await().atMost(ofSeconds(10)).until(() -> waitingForALock(schema));
            // ... and finds it no longer claimable once the rival commits.
            rival.commit();

            assertThat(claim.get(10, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(counted(QueueMetrics.CLAIM_CONFLICTS, "contested")).isEqualTo(1.0);
        assertThat(counted(QueueMetrics.CLAIM_EMPTY, "contested")).isEqualTo(1.0);
    }

    @Test
    void unreachablePortFailsFastNamingTheAddressAndAHint() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> QueueBackends.open("postgres", BackendConfig.of(Map.of(
                        "url", "postgresql://postgres:hunter2@127.0.0.1:1/test", "connectTimeout", "2s"))))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("is PostgreSQL running?")
                .hasMessageNotContaining("hunter2");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ofSeconds(10));
    }

    @Test
    void missingDatabaseIsNamedWithoutThePassword() {
        String url = TestServers.postgresUrl().replaceFirst("/[^/?]*$", "/no_such_queuebench_db")
                .replace("postgresql://postgres@", "postgresql://postgres:hunter2@");

        assertThatThrownBy(() -> QueueBackends.open("postgres", BackendConfig.of(Map.of("url", url))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("database 'no_such_queuebench_db' does not exist")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void footprintAndServerInfoDescribeTheTableAndServerWithoutSecrets() {
        QueueBackend backend = open(newSchema());
        backend.enqueueAll("measured", List.of(JobRequest.of(new byte[1000]), JobRequest.of(new byte[1000])));

        assertThat(backend.footprint().figures())
                .containsKeys("table_bytes", "index_bytes", "live_tuples", "dead_tuples")
                .allSatisfy((name, value) -> assertThat(value).as(name).isNotNegative());
        assertThat(backend.footprint().figures().get("index_bytes")).isPositive();
        Map<String, Long> figures = backend.footprint().figures();
        assertThat(figures).containsEntry("stored_bytes", figures.get("table_bytes") + figures.get("index_bytes"));
        Map<String, String> info = backend.serverInfo();
        assertThat(info).containsKeys("server_version", "synchronous_commit", "fsync", "shared_buffers", "autovacuum");
        assertThat(info.get("strategy")).isEqualTo("skip-locked");
        assertThat(info.values()).noneMatch(v -> v.contains("password"));
    }

    @Test
    void everyCommitModeClaimsCompletesAndFences() {
        for (String mode : List.of("none", "completions", "claims+completions")) {
            String queue = "commit-" + mode.replace('+', '-');
            QueueBackend backend = open(newSchema(), "asyncCommit", mode);
            backend.enqueueAll(queue, List.of(JobRequest.of(new byte[] {1}), JobRequest.of(new byte[] {2})));
            List<ClaimedJob> jobs = backend.claim(queue, 2, LEASE, ZERO);

            assertThat(backend.complete(jobs.get(0))).isTrue();
            assertThat(backend.completeAll(jobs)).containsExactly(false, true);
            assertThat(backend.stats(queue)).isEqualTo(new QueueStats(0, 0, 0, 0));
            assertThat(backend.serverInfo()).containsEntry("async_commit", mode);
        }
    }

    @Test
    void backendVacuumsTheJobsTableOnceItsChurnLeavesDeadTuples() throws SQLException {
        String schema = newSchema();
        QueueBackend backend = open(schema, "vacuum", "always");
        List<JobRequest> batch = Collections.nCopies(500, JobRequest.of(new byte[] {1}));
        for (int i = 0; i < 6; i++) {
            backend.enqueueAll("churn", batch);
        }
        List<ClaimedJob> claimed;
        while (!(claimed = backend.claim("churn", 500, LEASE, ZERO)).isEmpty()) {
            assertThat(backend.completeAll(claimed)).containsOnly(true);
        }

        await().atMost(ofSeconds(30)).until(() -> vacuumsOf(schema) > 0);
    }

    /**
     * How long a claim on {@code queue} of a backend polling every 10 s, parked 300 ms, took to return a job another
     * backend enqueued (see {@link WaitingClaims#timeToWake}).
     */
    private Duration wakeWaitingClaim(String queue) throws Exception {
        String schema = newSchema();
        QueueBackend backend = open(schema, "pollInterval", "10s");
        QueueBackend producer = open(schema);
        return WaitingClaims.timeToWake(backend, queue, LEASE,
                () -> producer.enqueue(queue, JobRequest.of(new byte[] {7})), ofSeconds(5));
    }

    private double counted(String counter, String queue) {
        return registry.get(counter).tag(QueueMetrics.TAG_QUEUE, queue).counter().count();
    }

    private static long vacuumsOf(String schema) throws SQLException {
        try (Connection c = admin(schema); PreparedStatement ps = c.prepareStatement(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'jobs'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static int terminateConnectionsOf(String schema) throws SQLException {
        try (Connection c = admin(schema); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, "queuebench/" + schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int listenersOf(String schema) throws SQLException {
        return count(schema, "query LIKE 'LISTEN%'");
    }

    /** The backend's connections on {@code schema} other than its listener's: those its pool holds. */
    private static int poolConnectionsOf(String schema) throws SQLException {
        return count(schema, "query NOT LIKE 'LISTEN%'");
    }

    private static boolean waitingForALock(String schema) throws SQLException {
        return count(schema, "wait_event_type = 'Lock'") > 0;
    }

    private static int count(String schema, String condition) throws SQLException {
        try (Connection c = admin(schema); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid() AND "
                        + condition)) {
            ps.setString(1, "queuebench/" + schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
