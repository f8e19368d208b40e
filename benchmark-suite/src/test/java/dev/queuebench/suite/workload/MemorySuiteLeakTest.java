package dev.queuebench.suite.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.memory.MemoryBackendProvider;
import dev.queuebench.suite.FaultyBackends;
import dev.queuebench.suite.run.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory suite measures the backend, not the harness: a planted leak is named, the plain backend is not. */
class MemorySuiteLeakTest {
    @TempDir
    Path results;

    @Test
    void aBackendKeepingOneKibPerJobIsALeakAndTheSameRunWithoutItIsNot() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> options = new HashMap<>(Map.of("backend", "memory,leaking", "suite", "memory",
                "rate", "300", "duration", "12", "workers", "2"));
        options.put("results", results.toString());

        int status = Main.run(options, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(verdict("memory")).startsWith("no leak");
        assertThat(verdict("leaking")).startsWith("leak suspected");
    }

    private String verdict(String backend) throws IOException {
        Path folder;
        try (Stream<Path> folders = Files.list(results)) {
            folder = folders.findFirst().orElseThrow();
        }
        JsonNode combined = new ObjectMapper()
                .readTree(folder.resolve("benchmark_results_" + folder.getFileName() + ".json").toFile());
        for (JsonNode record : combined.get("results")) {
            if (record.get("backend").asText().equals(backend)) {
                return record.at("/memory/leak_verdict").asText();
            }
        }
        throw new AssertionError("no memory record of " + backend);
    }

    /** The memory backend, keeping 1 KiB for every job it completes, forever. */
    static final class LeakingBackend extends FaultyBackends.Forwarding {
        private final Queue<byte[]> kept = new ConcurrentLinkedQueue<>();

        LeakingBackend(BackendConfig config) {
            super("leaking", config);
        }

        @Override
        public boolean complete(ClaimedJob job) {
            kept.add(new byte[1024]);
            return delegate.complete(job);
        }
    }

    /** Registered for tests in {@code META-INF/services} as {@code leaking}. */
    public static final class Leaking implements QueueBackendProvider {
        @Override public String name() { return "leaking"; }
        @Override public String description() { return "memory backend keeping 1 KiB per completed job (tests only)"; }
        @Override public List<String> strategies() { return new MemoryBackendProvider().strategies(); }
        @Override public List<ConfigKey<?>> configKeys() { return new MemoryBackendProvider().configKeys(); }
        @Override public QueueBackend create(BackendConfig config) { return new LeakingBackend(config); }
    }
}
