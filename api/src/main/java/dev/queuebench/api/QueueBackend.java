package dev.queuebench.api;

import java.util.Map;

/**
 * A durable job queue: at-least-once delivery, leases with fencing, retries with backoff, dead letters, delayed
 * jobs, priorities, batches. Every method is safe to call from many threads at once; one instance per process is
 * the norm. See {@code docs/CONTRACT.md}; the TCK is the executable form of that contract.
 */
public interface QueueBackend extends JobProducer, JobConsumer, QueueAdmin, AutoCloseable {
    /** The provider name, e.g. {@code postgres}. */
    String name();

    /** The claim strategy in use, one of the provider's {@link QueueBackendProvider#strategies()}. */
    String strategy();

    Capabilities capabilities();

    /** Facts about the server and settings behind this backend for reports, e.g. {@code server_version}; no secrets. */
    default Map<String, String> serverInfo() {
        return Map.of();
    }

    /** Releases every resource; idempotent. Later calls of any other method throw {@link BackendClosedException}. */
    @Override
    void close();
}
