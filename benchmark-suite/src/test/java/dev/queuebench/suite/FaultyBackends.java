package dev.queuebench.suite;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueStats;
import dev.queuebench.memory.MemoryBackendProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backends that break the contract on purpose, on top of the real memory backend, so the suite's checks can be
 * seen to catch them. Registered for tests in {@code META-INF/services} as providers {@code dropping},
 * {@code redelivering} and {@code unreachable}; {@code faulty-sqlite} is the SQLite backend with one fault that a
 * worker process can be given.
 */
public final class FaultyBackends {
    private FaultyBackends() {}

    /** Forwards every call to the memory backend; subclasses break one thing. */
    public static class Forwarding implements QueueBackend {
        public final QueueBackend delegate;
        private final String name;

        public Forwarding(String name, BackendConfig config) {
            this(name, new MemoryBackendProvider().create(config));
        }

        public Forwarding(String name, QueueBackend delegate) {
            this.name = name;
            this.delegate = delegate;
        }

        @Override public String name() { return name; }
        @Override public String strategy() { return delegate.strategy(); }
        @Override public Capabilities capabilities() { return delegate.capabilities(); }
        @Override public String enqueue(String queue, JobRequest request) {
            return enqueueAll(queue, List.of(request)).getFirst();
        }
        @Override public List<String> enqueueAll(String queue, List<JobRequest> requests) {
            return delegate.enqueueAll(queue, requests);
        }
        @Override public List<ClaimedJob> claim(String queue, int maxJobs, Duration lease, Duration wait) {
            return delegate.claim(queue, maxJobs, lease, wait);
        }
        @Override public boolean complete(ClaimedJob job) { return delegate.complete(job); }
        @Override public List<Boolean> completeAll(List<ClaimedJob> jobs) { return delegate.completeAll(jobs); }
        @Override public FailResult fail(ClaimedJob job, String error) { return delegate.fail(job, error); }
        @Override public boolean extendLease(ClaimedJob job, Duration lease) {
            return delegate.extendLease(job, lease);
        }
        @Override public QueueStats stats(String queue) { return delegate.stats(queue); }
        @Override public List<DeadJob> deadLetters(String queue, int limit) {
            return delegate.deadLetters(queue, limit);
        }
        @Override public long requeueDead(String queue) { return delegate.requeueDead(queue); }
        @Override public long purge(String queue) { return delegate.purge(queue); }
        @Override public Footprint footprint() { return delegate.footprint(); }
        @Override public void close() { delegate.close(); }
    }

    /** Acknowledges the very first job it is given with an id, and never stores it. */
    public static final class DroppingBackend extends Forwarding {
        public static final String DROPPED_ID = "dropped-1";
        private final AtomicBoolean dropped = new AtomicBoolean();

        DroppingBackend(BackendConfig config) {
            super("dropping", config);
        }

        @Override
        public List<String> enqueueAll(String queue, List<JobRequest> requests) {
            if (requests.isEmpty() || !dropped.compareAndSet(false, true)) {
                return delegate.enqueueAll(queue, requests);
            }
            List<String> ids = new ArrayList<>();
            ids.add(DROPPED_ID);
            ids.addAll(delegate.enqueueAll(queue, requests.subList(1, requests.size())));
            return ids;
        }
    }

    /** Hands the first job it leases out once more, to the next claim, while the first lease is still valid. */
    public static final class RedeliveringBackend extends Forwarding {
        private final AtomicReference<ClaimedJob> again = new AtomicReference<>();
        private final AtomicBoolean done = new AtomicBoolean();

        RedeliveringBackend(BackendConfig config) {
            super("redelivering", config);
        }

        @Override
        public List<ClaimedJob> claim(String queue, int maxJobs, Duration lease, Duration wait) {
            ClaimedJob repeat = again.getAndSet(null);
            if (repeat != null && repeat.leaseExpiresAt().isAfter(Instant.now())) {
                return List.of(repeat);
            }
            List<ClaimedJob> claimed = delegate.claim(queue, maxJobs, lease, wait);
            if (!claimed.isEmpty() && done.compareAndSet(false, true)) {
                again.set(claimed.getFirst());
            }
            return claimed;
        }
    }

    /** Stalls the {@code stallAt}-th claim for {@code stall}: a consumer that stops for a while. */
    public static final class StallingBackend extends Forwarding {
        private final AtomicInteger claims = new AtomicInteger();
        private final int stallAt;
        private final Duration stall;

        public StallingBackend(int stallAt, Duration stall) {
            super("memory", BackendConfig.empty());
            this.stallAt = stallAt;
            this.stall = stall;
        }

        @Override
        public List<ClaimedJob> claim(String queue, int maxJobs, Duration lease, Duration wait) {
            List<ClaimedJob> claimed = delegate.claim(queue, maxJobs, lease, wait);
            if (!claimed.isEmpty() && claims.incrementAndGet() == stallAt) {
                long end = System.nanoTime() + stall.toNanos();
                for (long left = stall.toNanos(); left > 0; left = end - System.nanoTime()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(left);
                }
            }
            return claimed;
        }
    }

    /**
     * The real SQLite backend with the fault its key {@code fault} names, applied once per process (so once per
     * worker process), to the first call it fits:
     * {@code hang-after-complete} (the complete commits, then the call never returns: the answer is lost),
     * {@code drop-on-claim} (the first claimed job is removed from the file as it is handed out: the backend drops
     * it), {@code print-garbage} (a line outside the report protocol on stdout when opened).
     */
    public static final class FaultySqliteBackend extends Forwarding {
        public static final ConfigKey<String> FAULT = ConfigKey.oneOf("fault", "the fault to inject",
                List.of("none", "hang-after-complete", "drop-on-claim", "print-garbage"), "none");
        private final String fault;
        private final AtomicBoolean done = new AtomicBoolean();

        FaultySqliteBackend(BackendConfig config) {
            super("faulty-sqlite", QueueBackends.open("sqlite", BackendConfig.of(withoutFault(config))));
            this.fault = config.get(FAULT);
            if (fault.equals("print-garbage") && done.compareAndSet(false, true)) {
                System.out.println("not a line of the report protocol");
                System.out.flush();
            }
        }

        private static Map<String, String> withoutFault(BackendConfig config) {
            Map<String, String> values = new HashMap<>(config.values());
            values.remove(FAULT.name());
            return values;
        }

        @Override
        public List<ClaimedJob> claim(String queue, int maxJobs, Duration lease, Duration wait) {
            List<ClaimedJob> claimed = delegate.claim(queue, maxJobs, lease, wait);
            if (fault.equals("drop-on-claim") && !claimed.isEmpty() && done.compareAndSet(false, true)) {
                delegate.complete(claimed.getFirst());
            }
            return claimed;
        }

        @Override
        public boolean complete(ClaimedJob job) {
            boolean completed = delegate.complete(job);
            if (fault.equals("hang-after-complete") && done.compareAndSet(false, true)) {
                while (true) {
                    java.util.concurrent.locks.LockSupport.park(); // until the process is killed
                }
            }
            return completed;
        }
    }

    /** Providers for the wrappers above, with the memory backend's keys. */
    abstract static class Provider implements QueueBackendProvider {
        @Override public String description() {
            return "memory backend that breaks the contract on purpose (tests only)";
        }
        @Override public List<String> strategies() { return new MemoryBackendProvider().strategies(); }
        @Override public List<ConfigKey<?>> configKeys() { return new MemoryBackendProvider().configKeys(); }
    }

    public static final class Dropping extends Provider {
        @Override public String name() { return "dropping"; }
        @Override public QueueBackend create(BackendConfig config) { return new DroppingBackend(config); }
    }

    public static final class Redelivering extends Provider {
        @Override public String name() { return "redelivering"; }
        @Override public QueueBackend create(BackendConfig config) { return new RedeliveringBackend(config); }
    }

    public static final class FaultySqlite implements QueueBackendProvider {
        @Override public String name() { return "faulty-sqlite"; }
        @Override public String description() { return "the SQLite backend with one fault (tests only)"; }
        @Override public List<String> strategies() { return QueueBackends.provider("sqlite").strategies(); }
        @Override
        public List<ConfigKey<?>> configKeys() {
            List<ConfigKey<?>> keys = new ArrayList<>(QueueBackends.provider("sqlite").configKeys());
            keys.add(FaultySqliteBackend.FAULT);
            return keys;
        }
        @Override public QueueBackend create(BackendConfig config) { return new FaultySqliteBackend(config); }
    }

    /** Fails to open the way a real server backend does: fast, naming the address with the password hidden. */
    public static final class Unreachable extends Provider {
        @Override public String name() { return "unreachable"; }
        @Override
        public QueueBackend create(BackendConfig config) {
            throw new BackendUnavailableException("cannot reach redis://bench:s3cret@127.0.0.1:1 within 2 s:"
                    + " connection refused; is the server running? (set redis.url)", null);
        }
    }
}
