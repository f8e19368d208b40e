package dev.queuebench.suite.workers;

import dev.queuebench.api.JobRequest;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.run.Progress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of consumers reports into, fresh for each test: a ledger, the local events that feed it (and a latency
 * recorder), and a progress line that prints nothing. Registered as an extension on an instance field, it closes the
 * progress after each test.
 */
public final class ConsumerReports implements AfterEachCallback {
    private final Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), System.err,
            false, 1000);
    private final Ledger ledger = new Ledger();
    private final WorkerPool.LocalEvents events = new WorkerPool.LocalEvents(ledger, new LatencyRecorder(), progress);

    /** The progress line the events report to; it prints nothing. */
    public Progress progress() {
        return progress;
    }

    /** The ledger the events feed. */
    public Ledger ledger() {
        return ledger;
    }

    /** The events consumers report to: into {@link #ledger()}, a latency recorder and {@link #progress()}. */
    public WorkerPool.LocalEvents events() {
        return events;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        progress.close();
    }

    /** {@code count} jobs whose payload has a worker succeed at once, each stamped with the time it was made. */
    public static List<JobRequest> payloads(int count) {
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(JobRequest.of(new Payload(System.nanoTime(), Payload.Behaviour.SUCCEED).encode(16)));
        }
        return jobs;
    }
}
