package dev.queuebench.suite.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.redis.ThrowawayRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class of bad input, through the same entry point as exec:java: one clear message naming the key and what it
 * accepts, exit status 1, no stack trace (without verbose), and no run folder written. Backends that need a server
 * talk to the real ones on this machine (PostgreSQL 5432, a throwaway redis-server for the password).
 */
class BadInputTest {
    @TempDir
    Path results;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @Test
    void aWrongTypeOrOutOfRangeOptionNamesTheOptionAndItsRange() throws IOException {
        assertFailsCleanly(Map.of("backend", "memory", "processes", "two"), "option 'processes'", "from 1 to 64");
        assertFailsCleanly(Map.of("backend", "memory", "processes", "65"), "option 'processes'", "from 1 to 64");
        assertFailsCleanly(Map.of("backend", "memory", "duration", "-3"), "option 'duration'", "from 1 to 86400");
        assertFailsCleanly(Map.of("backend", "memory", "strict", "maybe"), "option 'strict'", "true or false");
        assertFailsCleanly(Map.of("backend", "memory", "suite", "chaos", "cases", "kill-everything"),
                "option 'cases'", "kill-worker", "lease-too-short");
    }

    @Test
    void anUnknownBackendKeyNamesTheKeyAndTheAcceptedOnes() throws IOException {
        assertFailsCleanly(Map.of("backend", "postgres", "postgres.colour", "red"), "'colour'", "url");
        assertFailsCleanly(Map.of("backend", "sqlite", "sqlite.pathh", "x.db"), "'pathh'", "path");
    }

    @Test
    void aMalformedUrlNamesTheKeyAndTheFormItAccepts() throws IOException {
        assertFailsCleanly(Map.of("backend", "postgres", "postgres.url", "http://127.0.0.1/test"), "url",
                "postgresql://");
        assertFailsCleanly(Map.of("backend", "redis", "redis.url", "127.0.0.1 6379"), "url", "redis://");
    }

    @Test
    void anUnreachableHostFailsFastWithTheRedactedAddress() throws IOException {
        assertFailsCleanly(Map.of("backend", "postgres", "postgres.url",
                "postgresql://postgres:hunter2@127.0.0.1:1/test"), "127.0.0.1:1");
        assertThat(err()).doesNotContain("hunter2");
        assertFailsCleanly(Map.of("backend", "redis", "redis.url", "redis://:hunter2@127.0.0.1:1"), "127.0.0.1:1");
        assertThat(err()).doesNotContain("hunter2");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() throws IOException {
        try (ThrowawayRedis redis = ThrowawayRedis.start("right-one-7f3a")) {
            String wrong = redis.url().replace("right-one-7f3a", "wrong-one-9c1e");
            assertFailsCleanly(Map.of("backend", "redis", "redis.url", wrong), "127.0.0.1");
            assertThat(err()).doesNotContain("wrong-one-9c1e", "right-one-7f3a");
        }
    }

    @Test
    void aMissingDatabaseIsNamed() throws IOException {
        assertFailsCleanly(Map.of("backend", "postgres", "postgres.url",
                "postgresql://postgres@127.0.0.1:5432/qb_no_such_database"), "qb_no_such_database");
    }

    @Test
    void aReadOnlySqlitePathNamesTheKey() throws IOException {
        assertFailsCleanly(Map.of("backend", "sqlite", "sqlite.path", "/proc/queuebench.db"), "path",
                "/proc/queuebench.db");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Map<String, String> options = new HashMap<>(Map.of("backend", "redis", "redis.url", "redis://127.0.0.1:1",
                "verbose", "true", "results", results.toString()));
        assertThat(Main.run(options, new PrintStream(errBytes, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(err()).contains("\tat ");
    }

    /** Runs with {@code options}; expects exit 1, one message holding {@code expected}, no trace, no run folder. */
    private void assertFailsCleanly(Map<String, String> options, String... expected) throws IOException {
        errBytes.reset();
        Map<String, String> all = new HashMap<>(options);
        all.put("results", results.toString());
        int status = Main.run(all, new PrintStream(errBytes, true, StandardCharsets.UTF_8));

        assertThat(status).as(err()).isEqualTo(1);
        assertThat(err()).contains(expected).doesNotContain("\tat ", "Exception:");
        try (Stream<Path> folders = Files.list(results)) {
            assertThat(folders).as("nothing written").isEmpty();
        }
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }
}
