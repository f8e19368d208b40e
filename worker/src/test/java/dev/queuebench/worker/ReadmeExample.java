package dev.queuebench.worker;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The example of the READMEs, as code: {@link ReadmeExampleTest} runs it and checks the READMEs show it verbatim. */
final class ReadmeExample {
    private ReadmeExample() {}

    public static void main(String[] args) throws InterruptedException {
        // README example begins
        try (QueueBackend backend = QueueBackends.open("sqlite", BackendConfig.of(Map.of("path", "target/jobs.db")))) {
            CountDownLatch sent = new CountDownLatch(1);
            QueueWorker worker = QueueWorker.builder(backend).queue("emails").concurrency(16).claimBatch(32)
                    .lease(Duration.ofSeconds(30)).handler(job -> {
                        System.out.println("sending " + new String(job.payload(), UTF_8));
                        sent.countDown();
                        return JobResult.done();
                    }).start();
            backend.enqueue("emails", JobRequest.of("hello".getBytes(UTF_8)));
            sent.await(10, TimeUnit.SECONDS);
            worker.close(); // drains: no more claims, running handlers finish and are acknowledged
        }
        // README example ends
    }
}
