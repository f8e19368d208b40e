package dev.queuebench.suite.workers;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ForwardingQueueBackend;
import dev.queuebench.api.QueueBackend;
import java.util.List;

/**
 * The backend of a worker an {@link Agent} started: every call goes to {@code delegate}, and {@code complete} and
 * {@code completeAll} first wait on the {@link ReportBarrier}, until the agent has passed on the announcement.
 */
final class BarrierBackend extends ForwardingQueueBackend {
    private final ReportBarrier barrier;

    BarrierBackend(QueueBackend delegate, ReportBarrier barrier) {
        super(delegate);
        this.barrier = barrier;
    }

    @Override
    public boolean complete(ClaimedJob job) {
        barrier.await();
        return delegate.complete(job);
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        barrier.await();
        return delegate.completeAll(jobs);
    }
}
