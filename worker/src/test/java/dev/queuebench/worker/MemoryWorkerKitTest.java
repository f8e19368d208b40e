package dev.queuebench.worker;

import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.memory.MemoryBackendProvider;

/** The worker kit against the in-process reference backend. */
class MemoryWorkerKitTest extends WorkerKit {
    @Override
    protected QueueBackendProvider provider() {
        return new MemoryBackendProvider();
    }
}
