package dev.queuebench.faults;

import dev.queuebench.api.BackendUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes of this host listening on a TCP port, found with {@code ss -ltnp}: for the {@link ServerProcesses}
 * of a server whose protocol has no call that tells its process id.
 */
public final class PortListeners {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private PortListeners() {}

    /**
     * The ids of the processes listening on {@code port}, each once.
     *
     * @throws BackendUnavailableException when no process of this host listens there, or {@code ss} fails
     */
    public static List<Long> pids(int port, String server) {
        List<Long> pids = held(port);
        if (pids.isEmpty()) {
            throw new BackendUnavailableException("no process of this host listens on port " + port + " (is the "
                    + server + " elsewhere?)", null);
        }
        return pids;
    }

    /** The ids of the processes listening on {@code port}, each once; none when nobody listens there. */
    static List<Long> held(int port) {
        Matcher m = PID.matcher(listeners(port));
        List<Long> pids = new ArrayList<>();
        while (m.find()) {
            long pid = Long.parseLong(m.group(1));
            if (!pids.contains(pid)) {
                pids.add(pid);
            }
        }
        return pids;
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
            throw new BackendUnavailableException("cannot run ss to find the server's process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while looking for the server's process", e);
        }
    }
}
