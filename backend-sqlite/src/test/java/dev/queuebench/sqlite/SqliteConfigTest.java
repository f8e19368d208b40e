package dev.queuebench.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every key is checked before a file is touched, and a bad one is named with what it accepts. */
class SqliteConfigTest {
    @TempDir
    Path folder;

    @Test
    void defaultsAreImmediateNormalOneWriterAndAnExplicitBusyTimeout() {
        SqliteConfig config = SqliteConfig.from(valid());

        assertThat(config.strategy()).isEqualTo(ClaimQuery.IMMEDIATE);
        assertThat(config.synchronous()).isEqualTo("NORMAL");
        assertThat(config.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.writerConnections()).isEqualTo(1);
        assertThat(config.path()).isEqualTo(folder.resolve("q.db").toAbsolutePath());
    }

    @Test
    void pathIsRequired() {
        assertThatThrownBy(() -> SqliteConfig.from(BackendConfig.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'path' is required");
    }

    @Test
    void pathInAMissingFolderIsRejectedNamingIt() {
        Path missing = folder.resolve("nowhere").resolve("q.db");

        assertThatThrownBy(() -> SqliteConfig.from(BackendConfig.empty().with("path", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void pathInAReadOnlyFolderIsRejectedNamingIt() throws Exception {
        Path readOnly = Files.createDirectory(folder.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = !Files.isWritable(readOnly) || chattr("+i", readOnly);
        try {
            assumeFalse(Files.isWritable(readOnly), "cannot make a folder read-only for this user");
            Path file = readOnly.resolve("q.db");

            assertThatThrownBy(() -> SqliteConfig.from(BackendConfig.empty().with("path", file.toString())))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("read-only");
        } finally {
            if (immutable) {
                chattr("-i", readOnly);
            }
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void folderGivenAsPathIsRejected() {
        assertThatThrownBy(() -> SqliteConfig.from(BackendConfig.empty().with("path", folder.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is a folder");
    }

    @ParameterizedTest
    @CsvSource({
        "busyTimeout, soon, 'busyTimeout' must be a duration",
        "busyTimeout, -1s, 'busyTimeout' must be a duration",
        "writerConnections, 0, 'writerConnections' must be a whole number from 1 to 16",
        "writerConnections, two, 'writerConnections' must be a whole number from 1 to 16",
        "readerConnections, 65, 'readerConnections' must be a whole number from 1 to 64",
        "pollInterval, 0ms, 'pollInterval' must be a duration",
        "synchronous, OFF, 'synchronous' must be one of [NORMAL, FULL]",
        "strategy, skip-locked, 'strategy' must be one of [immediate, optimistic]",
    })
    void badValueIsRejectedNamingTheKeyAndWhatItAccepts(String key, String value, String message) {
        BackendConfig config = valid().with(key, value);

        assertThatThrownBy(() -> QueueBackends.open(SqliteBackendProvider.NAME, config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(value);
        assertThat(folder.resolve("q.db")).doesNotExist();
    }

    @Test
    void unknownKeyIsRejected() {
        assertThatThrownBy(() -> QueueBackends.open(SqliteBackendProvider.NAME, valid().with("url", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown configuration key 'url'");
    }

    @Test
    void fullSynchronousDeclaresDurableAndReportsItsSettings() {
        try (QueueBackend backend =
                QueueBackends.open(SqliteBackendProvider.NAME, valid().with("synchronous", "full"))) {
            assertThat(backend.capabilities().durability()).isEqualTo(Durability.DURABLE);
            assertThat(backend.serverInfo())
                    .containsEntry("journal_mode", "wal")
                    .containsEntry("synchronous", "FULL")
                    .containsEntry("busy_timeout_ms", "5000")
                    .containsKey("sqlite_version");
        }
    }

    private BackendConfig valid() {
        return BackendConfig.empty().with("path", folder.resolve("q.db").toString());
    }

    /** Sets or clears the immutable attribute, which binds root too; false when the platform refuses. */
    private static boolean chattr(String flag, Path path) throws IOException, InterruptedException {
        try {
            return new ProcessBuilder("chattr", flag, path.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false; // no chattr here
        }
    }
}
