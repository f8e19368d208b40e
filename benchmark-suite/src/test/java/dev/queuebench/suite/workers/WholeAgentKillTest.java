package dev.queuebench.suite.workers;

import static dev.queuebench.suite.workers.ConsumerReports.payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.lab.Lab;
import dev.queuebench.suite.lab.LabSpec;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.testsupport.TestServers;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two agents, in lab namespaces ({@link Lab}) when this runs as root, else local agent processes on free ports, and
 * a drain spread over both on a real server; mid-run one whole agent dies: its process is SIGKILLed and its worker
 * JVM, whose report has nowhere to go, ends by itself at once. A host crash kills both at some instant; here the worker
 * outlives its agent for a moment, the harder case: whatever it completed then would be unreported. The coordinator
 * carries on without the agent, the jobs it held come back after their lease to the other agent, and the ledger
 * balances with nothing lost. What the dead agent held is what the coordinator heard of: report lines still on the
 * agent's host when it died (a handler start, say) never arrive, so that count may be 0; those jobs, never
 * completed (no announcement left the host), come back all the same.
 */
class WholeAgentKillTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) ");
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final int JOBS = 1200;

    @RegisterExtension
    final ConsumerReports reports = new ConsumerReports();
    private final Ledger ledger = reports.ledger();
    private final List<Process> localAgents = new ArrayList<>();
    private final List<ProcessHandle> agentProcesses = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private Lab lab;

    @AfterEach
    void stopAgents() throws IOException, InterruptedException {
        agentProcesses.forEach(ProcessHandle::destroyForcibly);
        for (Process agent : localAgents) {
            agent.destroyForcibly();
            agent.waitFor();
        }
        if (lab != null) {
            lab.close();
            String left = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream()
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(lab.namespaceNames()).as("namespaces left after the lab closed").noneMatch(left::contains);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "redis"})
    void aDrainAcrossTwoAgentsLosesNothingWhenOneWholeAgentIsKilledMidRun(String name) throws IOException {
        String url = name.equals("postgres") ? TestServers.postgresUrl() : TestServers.redisUrl();
        startAgents(url);
        BackendConfig config = BackendConfig.of(Map.of("url", url));
        String queue = "qb_agentkill_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (QueueBackend backend = QueueBackends.open(name, config)) {
            try {
                ledger.enqueued(queue, backend.enqueueAll(queue, payloads(JOBS)));
                BackendUnderTest target = target(backend, config);
                long settledAtKill;
                long heldAtDeath;
                ProcessHandle agent = agentProcesses.getFirst();
                ProcessHandle worker;
                List<String> placements;
                String firstError;
                try (WorkerProcesses workers = WorkerProcesses.consume(target, List.of(queue),
                        Consumers.processesFor(target), 8, 1, Task.IO, LEASE, reports.events())) {
                    placements = workers.placements();
                    worker = ProcessHandle.of(workers.pid(0)).orElseThrow();
                    agentProcesses.add(worker); // killed after the test, should it outlive its agent
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> workers.holding(0) > 0 && ledger.settledCount() > JOBS / 5);

                    agent.destroyForcibly();
                    settledAtKill = ledger.settledCount();
                    await().atMost(Duration.ofSeconds(10)).until(() -> !agent.isAlive() && !worker.isAlive());
                    workers.awaitEnded(0);
                    heldAtDeath = workers.holding(0);
                    Drain.awaitDrained(backend, List.of(queue), ledger);
                    firstError = workers.firstError();
                }

                Ledger.Verdict verdict = Drain.verdict(backend, List.of(queue), ledger, LEASE);
                System.out.printf("%s: agents %s; killed %s (pid %d), its worker (pid %d) ended too, with %d of %d"
                        + " settled; it held %d; completed %d (unconfirmed %d), duplicated %d, redelivered %d,"
                        + " lost %d%n",
                        name, addresses, addresses.getFirst(), agent.pid(), worker.pid(), settledAtKill, JOBS,
                        heldAtDeath, verdict.completed(), verdict.unconfirmed().size(), verdict.duplicated(),
                        ledger.redeliveredCount(), verdict.lost());
                assertThat(settledAtKill).as("settled when the agent was killed").isLessThan(JOBS);
                assertThat(agent.isAlive()).as("the killed agent").isFalse();
                assertThat(worker.isAlive()).as("the killed agent's worker").isFalse();
                assertThat(verdict.lost()).as("lost: %s", verdict.lostFates()).isZero();
                assertThat(verdict.completed()).as("completed at least once").isEqualTo(JOBS);
                assertThat(ledger.redeliveredCount() + verdict.unconfirmed().size())
                        .as("the dead agent's jobs came back, or the backend confirmed their unanswered completes")
                        .isGreaterThanOrEqualTo(heldAtDeath);
                assertThat(firstError).as("the coordinator's note of the loss").contains("lost its agent");
                assertThat(placements).hasSize(2);
                assertThat(placements.getFirst()).contains("agent " + addresses.getFirst(), "clock offset");
            } finally {
                backend.purge(queue);
                if (name.equals("redis")) {
                    SharedRedisKeys.deleteKeysOf(url, queue);
                }
            }
        }
    }

    /** Two agents: in a lab of two namespaces relaying {@code url}'s server when root, else local processes. */
    private void startAgents(String url) throws IOException {
        try {
            Lab.requireRoot();
        } catch (ConfigurationException notRoot) {
            for (int i = 0; i < 2; i++) {
                Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", WorkerProcesses.classPath(), Agent.class.getName(), "--listen", "127.0.0.1:0")
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                localAgents.add(agent);
                agentProcesses.add(agent.toHandle());
                String first = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                Matcher listening = LISTENING.matcher(String.valueOf(first));
                assertThat(listening.find()).as("the agent's first line: %s", first).isTrue();
                addresses.add(listening.group(1));
            }
            return;
        }
        URI server = URI.create(url);
        lab = Lab.up(new LabSpec(2, 0), List.of(InetSocketAddress.createUnresolved(server.getHost(),
                server.getPort())), System.out);
        addresses.addAll(lab.agents());
        agentProcesses.add(lab.agentProcess(0));
        agentProcesses.add(lab.agentProcess(1));
    }

    private BackendUnderTest target(QueueBackend backend, BackendConfig config) {
        RunOptions options = RunOptions.parse(Map.of("backend", backend.name(), "agents", String.join(",",
                addresses)), Map.of());
        return new BackendUnderTest(backend, new CompositeMeterRegistry(), options, reports.progress(), "test", config);
    }

}
