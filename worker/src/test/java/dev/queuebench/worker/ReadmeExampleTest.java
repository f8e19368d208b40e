package dev.queuebench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The READMEs' example is this module's {@link ReadmeExample}, word for word, and it works against SQLite. */
class ReadmeExampleTest {
    private static final Path EXAMPLE = Path.of("src/test/java/dev/queuebench/worker/ReadmeExample.java");

    @Test
    void exampleHandlesTheJobItEnqueuesAndLeavesTheQueueEmpty() throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of("target/jobs.db" + suffix));
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.main(new String[0]);
        } finally {
            System.setOut(stdout);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("sending hello");
        try (QueueBackend backend = QueueBackends.open("sqlite", BackendConfig.of(Map.of("path", "target/jobs.db")))) {
            assertThat(backend.stats("emails").total()).isZero();
        }
    }

    @Test
    void moduleReadmeShowsTheExampleAsItIsCompiled() throws IOException {
        String example = exampleSource();
        assertThat(javaBlocks(Path.of("README.md"))).anyMatch(block -> block.contains(example));
    }

    @Test
    void rootReadmeShowsTheExampleAsItIsCompiled() throws IOException {
        String example = exampleSource();
        assertThat(javaBlocks(Path.of("../README.md"))).anyMatch(block -> block.contains(example));
    }

    /** The lines between the markers, without the indentation they have in the class. */
    private static String exampleSource() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLE);
        int begin = indexOf(lines, "// README example begins");
        int end = indexOf(lines, "// README example ends");
        List<String> body = lines.subList(begin + 1, end);
        int indent = body.getFirst().length() - body.getFirst().stripLeading().length();
        return String.join("\n", body.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .toList());
    }

    /** The text of every ```java block. */
    private static List<String> javaBlocks(Path markdown) throws IOException {
        String text = Files.readString(markdown);
        return Arrays.stream(text.split("```java\n")).skip(1).map(block -> block.substring(0, block.indexOf("```"))
                .stripTrailing()).toList();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("no line '" + marker + "' in " + EXAMPLE);
    }
}
