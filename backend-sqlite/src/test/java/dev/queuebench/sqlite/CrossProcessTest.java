package dev.queuebench.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several JVMs on one database file: a second process is started with this test's class path. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossProcessTest {
    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"immediate", "optimistic"})
    void twoProcessesDrainingOneFileDeliverEveryJobExactlyOnce(String strategy) throws Exception {
        Path file = folder.resolve("shared.db");
        String queue = "drain";
        BackendConfig config =
                BackendConfig.empty().with(SqliteConfig.PATH, file.toString()).with("strategy", strategy);
        try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
            List<String> enqueued = new ArrayList<>();
            for (int from = 0; from < 20_000; from += 1000) {
                enqueued.addAll(backend.enqueueAll(queue,
                        IntStream.range(from, from + 1000).mapToObj(i -> JobRequest.of(new byte[16])).toList()));
            }
            Child other = Child.start("drain", file, queue, strategy);

            other.go();
            StringWriter mine = new StringWriter();
            SecondProcess.drain(backend, queue, new PrintWriter(mine));
            List<String> theirs = other.finish();

            List<String> ours = mine.toString().lines().toList();
            assertThat(ours).as("jobs this process completed").isNotEmpty().doesNotHaveDuplicates();
            assertThat(theirs).as("jobs the other process completed").isNotEmpty().doesNotHaveDuplicates();
            assertThat(ours).doesNotContainAnyElementsOf(theirs);
            Set<String> all = new HashSet<>(ours);
            all.addAll(theirs);
            assertThat(all).isEqualTo(new HashSet<>(enqueued));
            assertThat(backend.stats(queue).total()).isZero();
            assertThat(config.meterRegistry().find(QueueMetrics.LOCK_ERRORS).counters())
                    .as("this process met the other's write lock (and waited for it)")
                    .isNotEmpty();
        }
    }

    @Test
    void twoProcessesCreatingTheSchemaAtOnceBothSucceed() throws Exception {
        Path file = folder.resolve("new.db");
        Child first = Child.start("open", file, "schema", "immediate");
        Child second = Child.start("open", file, "schema", "immediate");

        first.go();
        second.go();
        first.finish();
        second.finish();

        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet version = raw.createStatement().executeQuery("PRAGMA user_version");
                ResultSet jobs = raw.createStatement().executeQuery("SELECT count(*) FROM jobs")) {
            assertThat(version.getInt(1)).isEqualTo(Schema.VERSION);
            assertThat(jobs.getInt(1)).isEqualTo(2);
        }
    }

    /** A {@link SecondProcess} JVM: started, told to go, then read to its end. */
    private record Child(Process process, BufferedReader out, Writer in) {
        static Child start(String mode, Path file, String queue, String strategy) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    SecondProcess.class.getName(), mode, file.toString(), queue, strategy)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Child child = new Child(process,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            assertThat(child.out.readLine()).as("first line of the second process").isEqualTo("ready");
            return child;
        }

        void go() throws IOException {
            in.write("go\n");
            in.flush();
        }

        /** The lines the process printed before {@code done}; fails unless it exits 0. */
        List<String> finish() throws IOException, InterruptedException {
            List<String> lines = new ArrayList<>();
            for (String line; (line = out.readLine()) != null && !line.equals("done"); ) {
                lines.add(line);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("second process ended").isTrue();
            assertThat(process.exitValue()).as("second process exit status").isZero();
            return lines;
        }
    }
}
