package dev.queuebench.suite.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.redis.ThrowawayRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the suite in a JVM of its own, as a user would, with a password in the PostgreSQL URL (a role made for the
 * test on the shared server, dropped after) and in the Redis URL (a throwaway redis-server that requires it), through
 * worker processes too, and greps every file the run wrote and everything it printed for either password.
 */
class SecretScanTest {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String ROLE = "qb_secret_test";

    @TempDir
    Path results;

    @Test
    void noPasswordFromAnyUrlAppearsInAnyFileOrOutputOfARun() throws Exception {
        String pgPassword = "pgpw" + UUID.randomUUID().toString().replace("-", "");
        String redisPassword = "rdpw" + UUID.randomUUID().toString().replace("-", "");
        createRole(pgPassword);
        try (ThrowawayRedis redis = ThrowawayRedis.start(redisPassword)) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dbackend=postgres,redis", "-Dsuite=chaos", "-Dcases=kill-worker,poison", "-Dscenario=smoke",
                    "-Dduration=2", "-Dprocesses=2", "-Dpostgres.schema=" + ROLE, "-Dresults=" + results,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // the URLs travel in the environment, as QUEUEBENCH_<BACKEND>_URL, never on a command line
            builder.environment().put("QUEUEBENCH_POSTGRES_URL",
                    "postgresql://" + ROLE + ":" + pgPassword + "@127.0.0.1:5432/test");
            builder.environment().put("QUEUEBENCH_REDIS_URL", redis.url());
            Process run = builder.start();
            run.getOutputStream().close();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();

            assertThat(run.exitValue()).as(output).isZero();
            List<Path> written = filesUnder(results);
            assertThat(written).as("the run wrote its JSON and markdown").hasSizeGreaterThanOrEqualTo(3);
            assertThat(output).contains("kill-worker", "poison").doesNotContain(pgPassword, redisPassword);
            for (Path file : written) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(pgPassword, redisPassword);
            }
            assertThat(String.join("\n", readAll(written))).contains("****");
        } finally {
            dropRole();
        }
    }

    private static void createRole(String password) throws SQLException {
        dropRole();
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
            s.execute("GRANT CREATE ON DATABASE test TO " + ROLE);
        }
    }

    /** Drops the role and everything it owns (its schema), so the shared server is left as it was. */
    private static void dropRole() throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                    + " EXECUTE 'DROP OWNED BY " + ROLE + " CASCADE'; EXECUTE 'DROP ROLE " + ROLE + "';"
                    + " END IF; END $$");
        }
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static List<String> readAll(List<Path> files) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            texts.add(Files.readString(f, StandardCharsets.ISO_8859_1));
        }
        return texts;
    }
}
