package dev.queuebench.memory;

import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;

/** The whole contract against the reference backend. */
class MemoryTckTest extends QueueBackendTck {
    @Override
    protected QueueBackendProvider provider() {
        return new MemoryBackendProvider();
    }
}
