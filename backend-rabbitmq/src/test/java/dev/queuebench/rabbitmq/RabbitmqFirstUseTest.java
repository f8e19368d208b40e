package dev.queuebench.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.testsupport.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A quorum queue's first use by many threads at once. RabbitMQ answers a second, concurrent declare of a new quorum
 * queue before the queue's Raft leader runs; a basic.get in that gap closes the whole connection ("noproc"), taking
 * every other thread's publishes with it. The backend declares each queue once, the others waiting for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitmqFirstUseTest {
    private static final String PREFIX = "qbfirst-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int THREADS = 8;
    private static final int QUEUES = 15;

    private QueueBackend backend;
    private ExecutorService threads;

    @BeforeAll
    void open() {
        backend = new RabbitmqBackendProvider().create(BackendConfig.of(Map.of(
                RabbitmqConfig.URL.name(), TestServers.rabbitmqUrl(), RabbitmqConfig.PREFIX.name(), PREFIX,
                QueueBackends.STRATEGY_KEY, "quorum")));
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    void close() {
        threads.shutdownNow();
        backend.close();
        RabbitmqTestQueues.deleteAll(TestServers.rabbitmqUrl(), PREFIX);
    }

    @Test
    void threadsFirstUsingANewQuorumQueueTogetherAllSucceed() throws Exception {
        for (int q = 0; q < QUEUES; q++) {
            String queue = "first" + q;
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<CompletableFuture<Integer>> uses = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                boolean producer = t % 2 == 0;
                uses.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    if (producer) {
                        backend.enqueue(queue, JobRequest.of("job".getBytes(StandardCharsets.UTF_8)));
                        return 1;
                    }
                    return backend.claim(queue, 1, Duration.ofSeconds(30), Duration.ZERO).size();
                }, threads));
            }
            CompletableFuture.allOf(uses.toArray(CompletableFuture[]::new)).get();
            assertThat(uses).allSatisfy(use -> assertThat(use).isCompleted());
            backend.purge(queue);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
