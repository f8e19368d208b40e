package dev.queuebench.rabbitmq;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real three-node RabbitMQ cluster ({@link ThrowawayRabbitmqCluster}), started once for the class (a node takes
 * seconds to boot), the backend on every node's address: where its quorum queue lives, what the survivors keep
 * when the queue's leader node is SIGKILLed, and that the killed node comes back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThrowawayRabbitmqClusterTest {
    private static final int JOBS = 50;
    private static ThrowawayRabbitmqCluster cluster;

    @BeforeAll
    static void startCluster() {
        BackendFaults faults = BackendFaults.of(RabbitmqBackendProvider.NAME).orElseThrow();
        String unavailable = faults.clusterUnavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway RabbitMQ cluster can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        assertThat(faults.clusterForms()).containsExactly(ThrowawayRabbitmqCluster.QUORUM_3);
        cluster = ThrowawayRabbitmqCluster.start(ThrowawayRabbitmqCluster.QUORUM_3);
    }

    @AfterAll
    static void removeCluster() {
        if (cluster == null) {
            return;
        }
        List<Path> folders = cluster.nodes().stream().map(ThrowawayRabbitmqClusterTest::folder).toList();
        List<ProcessHandle> processes = cluster.nodes().stream().flatMap(n -> n.processes().stream()).toList();
        cluster.close();
        assertThat(folders).as("every node's folder is removed").noneMatch(Files::exists);
        assertThat(processes).as("every node's processes are gone").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void urlListsEveryNodeAndTheWorkQueueHasAMemberOnEachOfThem() {
        assertThat(cluster.config().get(RabbitmqConfig.URL.name()).split(",")).hasSize(3);
        try (QueueBackend backend = QueueBackends.open(RabbitmqBackendProvider.NAME, config("qbmembers"))) {
            backend.enqueue("members", JobRequest.of(new byte[] {1}));
            String members = cluster.nodes().getFirst().ctl("list_queues", "--no-table-headers", "name", "members");
            assertThat(members.lines().filter(l -> l.startsWith("qbmembers:quorum:members\t")).findFirst())
                    .hasValueSatisfying(line -> assertThat(line).contains(cluster.nodes().stream()
                            .map(ThrowawayRabbitmq::node).toList()));
            assertThat(backend.purge("members")).isEqualTo(1);
        }
    }

    @Test
    void everyConfirmedJobIsClaimedFromTheSurvivorsAfterTheLeaderNodeIsKilled() {
        try (QueueBackend backend = QueueBackends.open(RabbitmqBackendProvider.NAME, config("qbfailover"))) {
            List<String> enqueued = backend.enqueueAll("failover", IntStream.range(0, JOBS)
                    .mapToObj(i -> JobRequest.of(new byte[] {(byte) i})).toList());
            List<ProcessHandle> processes = cluster.nodes().stream().map(n -> n.processes().getFirst()).toList();

            String killed = cluster.killLeader();
            assertThat(killed).contains("leader of quorum queue qbfailover:quorum:failover");
            assertThat(processes).as("exactly the leader node is gone").filteredOn(ProcessHandle::isAlive)
                    .hasSize(2);
            assertThat(cluster.promote()).contains("qbfailover:quorum:failover -> ").contains("restarting");

            List<String> claimed = new ArrayList<>();
            await().atMost(ofSeconds(60)).ignoreExceptionsInstanceOf(QueueException.class).until(() -> {
                List<ClaimedJob> got = backend.claim("failover", JOBS, ofSeconds(60), ZERO);
                assertThat(backend.completeAll(got)).containsOnly(true);
                got.forEach(job -> claimed.add(job.id()));
                return claimed.size() >= JOBS;
            });
            assertThat(claimed).containsExactlyInAnyOrderElementsOf(enqueued);
            assertThat(backend.purge("failover")).isZero();
            assertThat(cluster.awaitRestarted()).contains("rejoined");
            assertThat(processes).as("the killed node's script exited").filteredOn(ProcessHandle::isAlive).hasSize(2);
            assertThat(cluster.nodes()).allSatisfy(n -> assertThat(n.processes()).isNotEmpty());
        }
    }

    private static BackendConfig config(String prefix) {
        Map<String, String> values = new HashMap<>(cluster.config());
        values.put(RabbitmqConfig.PREFIX.name(), prefix);
        return BackendConfig.of(values);
    }

    private static Path folder(ThrowawayRabbitmq node) {
        return Path.of(node.describe().substring(node.describe().lastIndexOf(" in ") + 4));
    }
}
