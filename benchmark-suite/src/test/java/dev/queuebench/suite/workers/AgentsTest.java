package dev.queuebench.suite.workers;

import static dev.queuebench.suite.workers.ConsumerReports.payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.Main;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.testsupport.TestServers;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two agents started as local processes on free ports (as {@code queuebench agent --listen 127.0.0.1:0} would be on
 * two hosts), real servers found by {@link TestServers}: a drain spread over both, with one agent's consumers
 * SIGKILLed mid-run (what the kill-worker chaos case does), still balances the coordinator's ledger.
 */
class AgentsTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) \\(host (\\S+)\\)");
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final int JOBS = 1200;
    private static final List<Process> AGENTS = new ArrayList<>();
    private static final List<String> ADDRESSES = new ArrayList<>();
    private static String hostname;

    @TempDir
    Path folder;

    @RegisterExtension
    final ConsumerReports reports = new ConsumerReports();
    private final Ledger ledger = reports.ledger();

    @BeforeAll
    static void startAgents() throws IOException {
        for (int i = 0; i < 2; i++) {
            Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", WorkerProcesses.classPath(), Agent.class.getName(), "--listen", "127.0.0.1:0")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            AGENTS.add(agent);
            String first = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            Matcher listening = LISTENING.matcher(String.valueOf(first));
            assertThat(listening.find()).as("the agent's first line: %s", first).isTrue();
            ADDRESSES.add(listening.group(1));
            hostname = listening.group(2);
        }
    }

    @AfterAll
    static void stopAgents() throws InterruptedException {
        for (Process agent : AGENTS) {
            agent.destroyForcibly();
            agent.waitFor();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "redis"})
    void aDrainAcrossTwoAgentsLosesNothingWhenOneAgentsConsumersAreKilledMidRun(String name) {
        BackendConfig config = BackendConfig.of(Map.of("url",
                name.equals("postgres") ? TestServers.postgresUrl() : TestServers.redisUrl()));
        String queue = "qb_agents_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (QueueBackend backend = QueueBackends.open(name, config)) {
            try {
                ledger.enqueued(queue, backend.enqueueAll(queue, payloads(JOBS)));
                BackendUnderTest target = target(backend, config, String.join(",", ADDRESSES));
                long killedPid;
                long heldAtKill;
                List<String> placements;
                try (WorkerProcesses workers = WorkerProcesses.consume(target, List.of(queue),
                        Consumers.processesFor(target), 8, 1, Task.IO, LEASE, reports.events())) {
                    placements = workers.placements();
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> workers.holding(0) > 0 && ledger.settledCount() > JOBS / 5);
                    killedPid = workers.pid(0);
                    workers.kill(0);
                    heldAtKill = workers.holding(0); // its report read to its end: what it held when it died
                    assertThat(ledger.settledCount()).isLessThan(JOBS);
                    Drain.awaitDrained(backend, List.of(queue), ledger);
                }

                Ledger.Verdict verdict = Drain.verdict(backend, List.of(queue), ledger, LEASE);
                assertThat(verdict.lost()).isZero();
                assertThat(verdict.completed()).isEqualTo(JOBS);
                assertThat(heldAtKill).as("jobs the killed worker held").isPositive();
                assertThat(ledger.redeliveredCount() + verdict.unconfirmed().size())
                        .as("the killed worker's jobs came back, or the backend confirmed its unanswered completes")
                        .isGreaterThanOrEqualTo(heldAtKill);
                assertThat(ProcessHandle.of(killedPid)).isEmpty();
                assertThat(placements).hasSize(2);
                assertThat(placements.get(0)).contains("agent " + ADDRESSES.get(0), "on host " + hostname,
                        "clock offset");
                assertThat(placements.get(1)).contains("agent " + ADDRESSES.get(1));
            } finally {
                backend.purge(queue);
                if (name.equals("redis")) {
                    SharedRedisKeys.deleteKeysOf(TestServers.redisUrl(), queue);
                }
            }
        }
    }

    @Test
    void anAgentThatCannotBeReachedFailsAtOnceNamingItsAddress() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        BackendConfig config = BackendConfig.of(Map.of("path", folder.resolve("agents.db").toString()));
        try (QueueBackend backend = QueueBackends.open("sqlite", config)) {
            BackendUnderTest target = target(backend, config, ADDRESSES.getFirst() + "," + address);
            long start = System.nanoTime();

            assertThatThrownBy(() -> WorkerProcesses.consume(target, List.of("qb_agents"), 2, 2, 1, Task.NOOP, LEASE,
                    reports.events())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("agent " + address);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AgentLink.CONNECT_TIMEOUT);
        }
    }

    @Test
    void aRunWhoseAgentCannotBeReachedExitsWithStatus1NamingTheAgentBeforeAnyCase() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(Map.of("backend", "sqlite", "suite", "throughput", "scenario", "smoke",
                "agents", "127.0.0.1:" + port, "sqlite.path", folder.resolve("run.db").toString(),
                "results", folder.resolve("results").toString()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach an agent", "127.0.0.1:" + port);
        assertThat(folder.resolve("results")).doesNotExist();
    }

    @Test
    void anAgentsOptionThatIsNotHostColonPortIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> RunOptions.parse(Map.of("agents", "10.0.0.5:7000,10.0.0.6"), Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'agents'")
                .hasMessageContaining("10.0.0.6");
    }

    private BackendUnderTest target(QueueBackend backend, BackendConfig config, String agents) {
        RunOptions options = RunOptions.parse(Map.of("backend", backend.name(), "agents", agents), Map.of());
        return new BackendUnderTest(backend, new CompositeMeterRegistry(), options, reports.progress(), "test", config);
    }

}
