package dev.queuebench.rabbitmq;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ServerProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RabbitMQ process doing a backend's work: the Erlang VM ({@code beam.smp}) listening on the configured AMQP
 * port, found with {@code ss -ltnp} (AMQP has no call that tells the broker's process id). One VM serves every
 * client of the node.
 */
public final class RabbitmqProcesses implements ServerProcesses {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    @Override
    public String backend() {
        return RabbitmqBackendProvider.NAME;
    }

    @Override
    public Pids serverPids(BackendConfig config) {
        RabbitmqConfig rabbitmq = RabbitmqConfig.from(config, new RabbitmqBackendProvider().strategies());
        String output = listeners(rabbitmq.port());
        List<Long> pids = new ArrayList<>();
        Matcher m = PID.matcher(output);
        while (m.find()) {
            long pid = Long.parseLong(m.group(1));
            if (!pids.contains(pid)) {
                pids.add(pid);
            }
        }
        if (pids.isEmpty()) {
            throw new BackendUnavailableException("no process of this host listens on port " + rabbitmq.port()
                    + " (is the broker elsewhere?)", null);
        }
        return new Pids(pids, "beam.smp", "the broker's Erlang VM (shared with every client of the node)");
    }

    private static String listeners(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport", "=", ":" + port).redirectErrorStream(true)
                    .start();
            ss.getOutputStream().close();
            String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
                throw new BackendUnavailableException("'ss -ltnp' failed: " + output, null);
            }
            return output;
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot run ss to find the broker's process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while looking for the broker's process", e);
        }
    }
}
