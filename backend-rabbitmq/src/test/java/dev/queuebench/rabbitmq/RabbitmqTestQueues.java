package dev.queuebench.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.queuebench.api.BackendConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Removes the AMQP queues a test left on the shared broker (every purge deletes its own; this catches the ones a
 * failing test left), so that runs do not pile up quorum queues. AMQP cannot list queues: the names come from
 * {@code rabbitmqctl list_queues} when the broker runs on this host.
 */
final class RabbitmqTestQueues {
    private RabbitmqTestQueues() {}

    /** Deletes every queue whose name starts with {@code prefix:}; returns how many. */
    static int deleteAll(String url, String prefix) {
        List<String> names = listed(prefix + ":");
        if (names.isEmpty()) {
            return 0;
        }
        RabbitmqConfig config = RabbitmqConfig.from(BackendConfig.of(Map.of(RabbitmqConfig.URL.name(), url)),
                new RabbitmqBackendProvider().strategies());
        try {
            try (Connection connection = Link.factory(config).newConnection("queuebench-test-cleanup");
                    Channel channel = connection.createChannel()) {
                for (String name : names) {
                    channel.queueDelete(name);
                }
            }
            return names.size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove the test queues '" + prefix + ":*'", e);
        }
    }

    /** The broker's queue names with {@code start}, or none when rabbitmqctl cannot tell (broker elsewhere). */
    static List<String> listed(String start) {
        try {
            Process process = new ProcessBuilder("rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            output.lines().map(String::trim).filter(line -> line.startsWith(start)).forEach(names::add);
            return names;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
