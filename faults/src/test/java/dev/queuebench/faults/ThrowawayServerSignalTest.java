package dev.queuebench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Signals reach a server's processes even when one of those listed has exited in the meantime, and a pause of a
 * server whose process is gone fails instead of passing for a pause.
 */
class ThrowawayServerSignalTest {

    @Test
    void pauseStopsTheServerProcessUntilResumed() throws Exception {
        Process live = new ProcessBuilder("sleep", "60").start();
        try (Listed server = new Listed(List.of(live.toHandle()))) {
            server.pause();
            assertThat(state(live)).as("the process's state after pause").isEqualTo("T");

            server.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> !state(live).equals("T"));
        } finally {
            live.destroyForcibly();
        }
    }

    @Test
    void pauseOfAServerWhoseProcessHasExitedFailsSayingSo() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor(10, TimeUnit.SECONDS);
        try (Listed server = new Listed(List.of(exited.toHandle()))) {
            assertThatThrownBy(server::pause).isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("did not stop the server's process " + exited.pid())
                    .hasMessageContaining("no longer running");
        }
    }

    /** The one-letter state /proc gives for {@code process} (T: stopped). */
    private static String state(Process process) throws IOException {
        String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        return line.substring(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3);
    }

    @Test
    void killReachesTheLiveProcessesWhenAListedChildHasAlreadyExited() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor(10, TimeUnit.SECONDS);
        Process live = new ProcessBuilder("sleep", "60").start();
        try (Listed server = new Listed(List.of(exited.toHandle(), live.toHandle()))) {
            server.kill();

            assertThat(live.waitFor(10, TimeUnit.SECONDS)).as("the live process got the SIGKILL").isTrue();
            assertThat(live.exitValue()).isEqualTo(128 + 9);
        } finally {
            live.destroyForcibly();
        }
    }

    /** A "server" that is just the processes it is given. */
    private static final class Listed extends ThrowawayServer {
        private final List<ProcessHandle> processes;

        Listed(List<ProcessHandle> processes) {
            super("qb-signal-test-");
            this.processes = processes;
        }

        @Override
        protected void launch() {}

        @Override
        public Map<String, String> config() {
            return Map.of();
        }

        @Override
        public String describe() {
            return "processes " + processes;
        }

        @Override
        public List<ProcessHandle> processes() {
            return processes;
        }

        @Override
        public void restart() {}

        @Override
        public int killConnections(BackendConfig config) {
            return 0;
        }

        @Override
        public void close() {
            removeFolder();
        }
    }
}
