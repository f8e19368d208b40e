package dev.queuebench.worker;

import java.time.Duration;
import java.util.Objects;

/** What a {@link JobHandler} asks the worker to do with the job it ran. */
public sealed interface JobResult permits JobResult.Done, JobResult.Retry, JobResult.Discard {

    /** The job is done: it is acknowledged ({@code complete}, batched). */
    static JobResult done() {
        return Done.INSTANCE;
    }

    /**
     * Run the job again, as its next attempt, no sooner than {@code delay} from now. The SPI has no "fail with this
     * delay", so the worker extends the lease by {@code delay} and lets it lapse: no error is recorded. On the job's
     * last attempt it is failed instead, and so ends dead.
     */
    static JobResult retryAfter(Duration delay) {
        return new Retry(delay);
    }

    /** Drop the job without running it again: it is acknowledged like a done one and counted as discarded. */
    static JobResult discard() {
        return Discard.INSTANCE;
    }

    record Done() implements JobResult {
        private static final Done INSTANCE = new Done();
    }

    record Retry(Duration delay) implements JobResult {
        public Retry {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a retry delay must not be negative, was " + delay);
            }
        }
    }

    record Discard() implements JobResult {
        private static final Discard INSTANCE = new Discard();
    }
}
