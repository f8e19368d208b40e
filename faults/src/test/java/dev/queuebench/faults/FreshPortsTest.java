package dev.queuebench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.ThrowawayServer.PortTakenException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A port picked for a throwaway server is only free a moment: a server whose port another process bound first is
 * started again on a new port, and a start that keeps meeting taken ports fails saying what the server wrote.
 */
class FreshPortsTest {

    @Test
    void aServerWhosePortWasTakenBeforeItBoundItStartsAgainOnANewPort() {
        List<Binder> made = new ArrayList<>();
        try (Binder server = ThrowawayServer.onFreshPorts(() -> ThrowawayServer.launched(
                remember(made, new Binder(made.isEmpty()))))) {
            assertThat(made).hasSize(2);
            assertThat(server).isSameAs(made.get(1));
            assertThat(server.port).isNotEqualTo(made.get(0).port);
            assertThat(server.answers()).as("the second server listens on its port").isTrue();
        }
    }

    @Test
    void aStartThatKeepsFindingItsPortTakenFailsWithWhatTheServerWrote() {
        List<Binder> made = new ArrayList<>();
        assertThatThrownBy(() -> ThrowawayServer.onFreshPorts(() -> ThrowawayServer.launched(
                remember(made, new Binder(true)))))
                .isInstanceOf(PortTakenException.class)
                .hasMessageContaining("stand-in server on port " + made.getLast().port + " did not start")
                .hasMessageContaining("Address already in use");
        assertThat(made).as("servers tried").hasSize(3);
    }

    private static Binder remember(List<Binder> made, Binder server) {
        made.add(server);
        return server;
    }

    /** {@link BindPort} as a server; when told to, this JVM binds the server's port first, as a stranger might. */
    private static final class Binder extends ChildProcessServer {
        private final boolean takePortFirst;
        private ServerSocket stranger;

        Binder(boolean takePortFirst) {
            super("qb-fresh-ports-test-", "stand-in server", Duration.ofSeconds(5));
            this.takePortFirst = takePortFirst;
        }

        @Override
        protected void launch() {
            if (takePortFirst) {
                try {
                    stranger = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            startProcess(List.of(java, "-cp", System.getProperty("java.class.path"), BindPort.class.getName(),
                    Integer.toString(port)), Map.of());
            awaitReady(this::answers, Duration.ofSeconds(30), Duration.ofMillis(20),
                    "stand-in server on port " + port + " did not start");
        }

        boolean answers() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            super.close();
            if (stranger != null) {
                try {
                    stranger.close();
                } catch (IOException e) {
                    // the test's own socket: nothing is left to clean up
                }
            }
        }

        @Override
        public Map<String, String> config() {
            return Map.of();
        }

        @Override
        public String describe() {
            return "stand-in server on 127.0.0.1:" + port;
        }

        @Override
        public int killConnections(BackendConfig config) {
            return 0;
        }
    }
}
