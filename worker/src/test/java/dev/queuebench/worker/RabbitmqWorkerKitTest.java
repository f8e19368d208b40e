package dev.queuebench.worker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.rabbitmq.RabbitmqBackendProvider;
import dev.queuebench.testsupport.TestServers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/** The worker kit against the local RabbitMQ, once per strategy, on AMQP queues of this run's own prefix. */
class RabbitmqWorkerKitTest extends WorkerKit {
    private static final String PREFIX = "qbworker-" + UUID.randomUUID().toString().substring(0, 8);
    private String url;

    @Override
    protected QueueBackendProvider provider() {
        return new RabbitmqBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        url = TestServers.rabbitmqUrl();
        return BackendConfig.of(Map.of("url", url, "prefix", PREFIX));
    }

    /** Purges delete their queues; this removes any a failing test left, as listed by rabbitmqctl on this host. */
    @AfterAll
    void deleteQueuesOfThisPrefix() throws Exception {
        if (url == null) {
            return;
        }
        Process list = new ProcessBuilder("rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name")
                .redirectErrorStream(true).start();
        String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!list.waitFor(60, TimeUnit.SECONDS) || list.exitValue() != 0) {
            return; // the broker is elsewhere: nothing to list with
        }
        List<String> names = output.lines().map(String::trim).filter(n -> n.startsWith(PREFIX + ":")).toList();
        if (names.isEmpty()) {
            return;
        }
        URI uri = URI.create(url);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(uri.getHost());
        factory.setPort(uri.getPort());
        String[] user = uri.getUserInfo() == null ? new String[] {"guest", "guest"} : uri.getUserInfo().split(":", 2);
        factory.setUsername(user[0]);
        factory.setPassword(user.length > 1 ? user[1] : "");
        try (Connection connection = factory.newConnection("queuebench-test-cleanup");
                Channel channel = connection.createChannel()) {
            for (String name : names) {
                channel.queueDelete(name);
            }
        }
    }
}
