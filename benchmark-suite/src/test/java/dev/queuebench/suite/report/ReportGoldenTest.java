package dev.queuebench.suite.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.suite.run.Suites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a fixed run, rendered again, is the same to the byte as the golden files written by the report code
 * of commit 974ac4e (before the suites drew their own sections), changed since only where the footprint became each
 * backend's {@code stored_bytes}. The fixture {@code golden/run.json} is a smoke run
 * of memory and sqlite through every suite, compared with {@code golden/baseline.json}, an earlier one; its targets
 * and comparison are computed again here. {@code -Dgolden.rewrite=true} writes the golden files anew instead.
 */
class ReportGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void aFixedRunOfEverySuiteRendersTheSameJsonAndMarkdownAsTheGoldenFiles(@TempDir Path dir) throws IOException {
        RunReport run = ReportWriter.read(GOLDEN.resolve("run.json"));
        RunReport baseline = ReportWriter.read(GOLDEN.resolve("baseline.json"));
        List<ResultRecord> evaluated = run.targets().evaluate(run.results());
        RunReport report = new RunReport(run.schemaVersion(), run.runId(), run.startedAt(), run.finishedAt(),
                run.scenario(), run.command(), run.environment(), run.configuration(), run.capabilities(),
                run.targets(), run.exitStatus(), Comparison.of(baseline, evaluated, 0.10), evaluated);

        Path folder = ReportWriter.write(report, dir, report.runId(), Suites.names());

        List<Path> written;
        try (Stream<Path> files = Files.list(folder)) {
            written = files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".md")).sorted()
                    .toList();
        }
        assertThat(written).hasSize(Suites.names().size() + 2);
        for (Path file : written) {
            Path golden = GOLDEN.resolve("expected").resolve(file.getFileName());
            String actual = Files.readString(file, StandardCharsets.UTF_8);
            if (Boolean.getBoolean("golden.rewrite")) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertThat(actual).as(file.getFileName().toString())
                    .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
    }
}
