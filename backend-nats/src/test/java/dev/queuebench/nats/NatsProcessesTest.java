package dev.queuebench.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.ServerProcesses;
import dev.queuebench.testsupport.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite finds the server's process through the module's registered inspection, to read its CPU and memory. */
class NatsProcessesTest {
    @Test
    void theRegisteredInspectionNamesTheNatsServerProcessListeningOnTheUrlsPort() throws IOException {
        String url = TestServers.natsUrl();
        assumeTrue(url.startsWith("nats://127.0.0.1:"), "the NATS server at " + url + " is not a process of this host");
        BackendConfig config = BackendConfig.of(Map.of(NatsConfig.URL.name(), url));

        ServerProcesses.Pids pids = ServerProcesses.of(NatsBackendProvider.NAME).orElseThrow().serverPids(config);

        assertThat(pids.pids()).isNotEmpty();
        for (long pid : pids.pids()) {
            assertThat(Files.readString(Path.of("/proc/" + pid + "/comm")).trim()).isEqualTo(pids.command());
        }
    }
}
