package dev.queuebench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.BackendConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Signals reach a server's processes even when one of those listed has exited in the meantime. */
class ThrowawayServerSignalTest {

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
