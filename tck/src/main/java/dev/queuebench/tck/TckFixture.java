package dev.queuebench.tck;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every clause of the kit stands on: opening backends, fresh queues, tear-down, the kit's timing bounds and
 * small helpers. Backend authors do not extend this class but {@link QueueBackendTck}.
 *
 * <p>The bounds are the contract's (see {@code docs/CONTRACT.md}, "Timing bounds the kit states"). Every waiting
 * clause has a lower bound (nothing happens early) and an upper bound (it does happen, in time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TckFixture {
    /** Leases that outlive any test: expiry never interferes where a test does not mean it to. */
    protected static final Duration LONG_LEASE = ofSeconds(60);
    /** Leases meant to expire within a test. */
    protected static final Duration SHORT_LEASE = ofMillis(300);
    /** The backoff base the kit configures: the retry after attempt n waits base * 2^(n-1), capped. */
    protected static final Duration BACKOFF_BASE = ofMillis(250);
    /** The backoff cap the kit configures. */
    protected static final Duration BACKOFF_MAX = ofSeconds(1);
    /** The backoff jitter the kit configures: up to this share of each delay is taken off at random. */
    protected static final double BACKOFF_JITTER = 0.2;
    /** With {@link Feature#WAKE_ON_ENQUEUE}: a waiting claim returns a job enqueued while it waits within this. */
    protected static final Duration WAKE_BOUND = ofMillis(250);
    /** Scheduling slack added to every upper bound that is not {@link #WAKE_BOUND}, for a loaded 2-core machine. */
    protected static final Duration SLACK = ofMillis(750);
    /** The largest payload the kit allocates to check {@code maxPayloadBytes} (a declared limit above is refused). */
    protected static final int PAYLOAD_CEILING = 256 << 20;

    /**
     * Runs a waiting claim on a thread of its own: never the common pool, where one backend's claim that outlives
     * its test would hold up the next test's (the pool has one thread on two cores).
     */
    protected static final Executor ON_OWN_THREAD = r -> Thread.ofPlatform().daemon().name("tck-claim").start(r);

    private final List<QueueBackend> opened = Collections.synchronizedList(new ArrayList<>());
    private final Map<QueueBackend, Set<String>> queuesUsed = new ConcurrentHashMap<>();
    private final Map<QueueBackend, MeterRegistry> registries = new ConcurrentHashMap<>();

    /** The provider under test. */
    protected abstract QueueBackendProvider provider();

    /** Configuration that reaches the test server, without {@code strategy} and backoff keys; may skip the test. */
    protected BackendConfig baseConfig() {
        return BackendConfig.empty();
    }

    /** The strategies to run every test with: all the provider declares. */
    protected Stream<String> strategies() {
        return provider().strategies().stream();
    }

    /**
     * How far the backend's clock (which stamps {@code enqueuedAt}, {@code leaseExpiresAt}, {@code retryAt}) may be
     * from this JVM's; 50 ms, for a server on the same machine. Override for a server elsewhere.
     */
    protected Duration clockTolerance() {
        return ofMillis(50);
    }

    /** A fresh backend with the given strategy, the kit's backoff and a registry of its own, closed after the test. */
    protected QueueBackend open(String strategy) {
        MeterRegistry registry = new SimpleMeterRegistry();
        BackendConfig config = baseConfig()
                .with(QueueBackends.STRATEGY_KEY, strategy)
                .with(Backoff.BASE, BACKOFF_BASE.toMillis() + "ms")
                .with(Backoff.MAX, BACKOFF_MAX.toMillis() + "ms")
                .with(Backoff.JITTER, String.valueOf(BACKOFF_JITTER))
                .withMeterRegistry(registry);
        QueueBackends.validate(provider(), config);
        QueueBackend backend = provider().create(config);
        opened.add(backend);
        registries.put(backend, registry);
        return backend;
    }

    /** The registry {@link #open} gave this backend. */
    protected MeterRegistry registryOf(QueueBackend backend) {
        return registries.get(backend);
    }

    /** A queue name no other test uses; purged after the test. */
    protected String newQueue(QueueBackend backend) {
        String queue = "tck-" + UUID.randomUUID().toString().substring(0, 13);
        purgeAfterTest(backend, queue);
        return queue;
    }

    /** Has the tear-down purge {@code queue} through {@code backend} too. */
    protected void purgeAfterTest(QueueBackend backend, String queue) {
        queuesUsed.computeIfAbsent(backend, b -> ConcurrentHashMap.newKeySet()).add(queue);
    }

    /**
     * Purges the test's queues and closes its backends in reverse order; the queues of a backend the test closed
     * itself are purged through a fresh backend of the same strategy, so that no test leaves queues (tables,
     * streams, AMQP queues) behind on a shared server. Never throws: a clause that breaks {@code purge} or
     * {@code close} fails its own test, not every test through the tear-down.
     */
    @AfterEach
    void closeBackends() {
        List<QueueBackend> toClose = new ArrayList<>(opened);
        Collections.reverse(toClose);
        Map<String, Set<String>> leftByStrategy = new TreeMap<>();
        for (QueueBackend backend : toClose) {
            for (String queue : queuesUsed.getOrDefault(backend, Set.of())) {
                try {
                    backend.purge(queue);
                } catch (BackendClosedException e) {
                    leftByStrategy.computeIfAbsent(backend.strategy(), s -> new TreeSet<>()).add(queue);
                } catch (RuntimeException e) {
                    // a broken purge: that clause's own test says so
                }
            }
            try {
                backend.close();
            } catch (RuntimeException e) {
                // a broken close fails closeIsIdempotentAndEveryLaterCallThrows
            }
        }
        leftByStrategy.forEach(this::purgeThroughAFreshBackend);
        opened.clear();
        queuesUsed.clear();
        registries.clear();
    }

    private void purgeThroughAFreshBackend(String strategy, Set<String> queues) {
        try (QueueBackend fresh = provider().create(baseConfig().with(QueueBackends.STRATEGY_KEY, strategy))) {
            queues.forEach(fresh::purge);
        } catch (RuntimeException e) {
            // best effort: the server is unreachable, or purge is broken (its own clause says so)
        }
    }

    /** Skips the calling clause, naming the feature, unless the backend declares it. */
    protected static void requireFeature(QueueBackend q, Feature feature) {
        assumeTrue(q.capabilities().has(feature), "backend does not declare Feature." + feature);
    }

    /** True when the backend declares the feature (for set-ups that adapt rather than skip). */
    protected static boolean declares(QueueBackend q, Feature feature) {
        return q.capabilities().has(feature);
    }

    /** Asserts the queue's counts where the backend declares {@link Feature#EXACT_STATS}; else checks nothing. */
    protected static void assertStats(QueueBackend q, String queue, QueueStats expected) {
        if (declares(q, Feature.EXACT_STATS)) {
            assertThat(q.stats(queue)).as("stats of %s", queue).isEqualTo(expected);
        }
    }

    /** The longest a waiting claim may take to notice work it was not woken for: the poll interval plus slack. */
    protected static Duration pollBound(QueueBackend q) {
        return q.capabilities().pollInterval().plus(SLACK);
    }

    /** A claim of one job and when it was made. */
    protected record TimedClaim(ClaimedJob job, Instant started, Instant returned) {}

    /**
     * Claims one job, polling with zero-wait claims every 10 ms until one is claimable or {@code atMost} passed
     * (then fails); says when the successful claim started and returned.
     */
    protected static TimedClaim awaitClaim(QueueBackend q, String queue, Duration atMost) {
        List<TimedClaim> got = new ArrayList<>();
        await().atMost(atMost).pollDelay(ZERO).pollInterval(ofMillis(10)).until(() -> {
            Instant started = Instant.now();
            List<ClaimedJob> claimed = q.claim(queue, 1, LONG_LEASE, ZERO);
            if (!claimed.isEmpty()) {
                got.add(new TimedClaim(claimed.getFirst(), started, Instant.now()));
            }
            return !got.isEmpty();
        });
        return got.getFirst();
    }

    /** {@link #awaitClaim(QueueBackend, String, Duration)} within ten seconds, for clauses that do not time it. */
    protected static ClaimedJob awaitClaim(QueueBackend q, String queue) {
        return awaitClaim(q, queue, ofSeconds(10)).job();
    }

    /** Waits, by Awaitility, until this JVM's clock is past an instant by the clock tolerance. */
    protected void awaitPast(Instant instant) {
        Instant target = instant.plus(clockTolerance());
        await().atMost(ofSeconds(10)).pollDelay(ZERO).pollInterval(ofMillis(10))
                .until(() -> Instant.now().isAfter(target));
    }

    /** Waits, by Awaitility, for a duration (a pause that lets a waiting call park; never a timing proof). */
    protected static void pause(Duration duration) {
        Instant until = Instant.now().plus(duration);
        await().atMost(duration.plusSeconds(5)).pollDelay(ZERO).pollInterval(ofMillis(10))
                .until(() -> !Instant.now().isBefore(until));
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The backend's declared payload limit, failing (not skipping) when it is above what the kit can check. */
    protected static int checkableLimit(QueueBackend q) {
        int max = q.capabilities().maxPayloadBytes();
        assertThat(max).as("declared maxPayloadBytes must be one the kit can verify (at most %d)", PAYLOAD_CEILING)
                .isLessThanOrEqualTo(PAYLOAD_CEILING);
        return max;
    }
}
