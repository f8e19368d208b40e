package dev.queuebench.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.QueueBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A SQL backend's schema installed by two processes and two threads at once, for its test of installing once: the
 * test then looks at what the race left.
 */
public final class SchemaInstallRace {
    private static final int EACH = 2;
    private static final long WAIT_SECONDS = 30;

    private SchemaInstallRace() {}

    /**
     * Starts two JVMs on this test's class path running {@code secondProcess} with {@code arguments}, and meanwhile
     * opens two backends here with {@code openHere} on two threads; returns once the backends answer and the processes
     * ended with status 0, failing the test otherwise.
     */
    public static void run(Class<?> secondProcess, List<String> arguments, Callable<QueueBackend> openHere)
            throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < EACH; i++) {
            processes.add(start(secondProcess, arguments));
        }
        ExecutorService threads = Executors.newFixedThreadPool(EACH);
        try {
            List<Future<QueueBackend>> here = new ArrayList<>();
            for (int i = 0; i < EACH; i++) {
                here.add(threads.submit(openHere));
            }
            for (Future<QueueBackend> backend : here) {
                assertThat(backend.get(WAIT_SECONDS, TimeUnit.SECONDS).stats("from-second-process")).isNotNull();
            }
        } finally {
            threads.shutdownNow();
        }
        for (Process process : processes) {
            assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("second process exit status").isZero();
        }
    }

    private static Process start(Class<?> main, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        return new ProcessBuilder(command).inheritIO().start();
    }
}
