package dev.queuebench.sqlite;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Another JVM on the same database file, started by {@link CrossProcessTest}. It prints {@code ready}, waits for a
 * line on standard input (the start signal), then either drains a queue, printing each completed job's id
 * ({@code drain <path> <queue> <strategy>}), or opens the file and enqueues one job
 * ({@code open <path> <queue> <strategy>}), and prints {@code done}.
 */
public final class SecondProcess {
    private SecondProcess() {}

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        BackendConfig config = BackendConfig.empty().with(SqliteConfig.PATH, args[1]).with("strategy", args[3]);
        String queue = args[2];
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (mode.equals("open")) {
            out.println("ready");
            in.readLine();
            try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
                backend.enqueue(queue, JobRequest.of(new byte[] {1}));
            }
        } else {
            try (QueueBackend backend = QueueBackends.open(SqliteBackendProvider.NAME, config)) {
                out.println("ready");
                in.readLine();
                drain(backend, queue, out);
            }
        }
        out.println("done");
    }

    /** Claims batches until the queue stays empty, completing each job and printing its id. */
    static void drain(QueueBackend backend, String queue, PrintWriter out) {
        List<ClaimedJob> claimed;
        while (!(claimed = backend.claim(queue, 10, Duration.ofMinutes(1), Duration.ofMillis(300))).isEmpty()) {
            List<Boolean> answers = backend.completeAll(claimed);
            for (int i = 0; i < claimed.size(); i++) {
                if (!answers.get(i)) {
                    throw new IllegalStateException("lease lost on " + claimed.get(i));
                }
                out.println(claimed.get(i).id());
            }
        }
    }
}
