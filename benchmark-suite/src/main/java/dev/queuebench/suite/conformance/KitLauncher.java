package dev.queuebench.suite.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.queuebench.tck.ContractTest;
import dev.queuebench.tck.QueueBackendTck;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs clauses of the kit, one at a time, through the JUnit Platform launcher, as {@link ConfiguredKit}. */
final class KitLauncher {
    private KitLauncher() {}

    /**
     * Every clause of the kit (its {@link ContractTest} methods): the groups in the kit's order (claims, leases,
     * then the rest), by name within a group.
     */
    static List<String> clauses() {
        Deque<Class<?>> groups = new ArrayDeque<>();
        for (Class<?> c = QueueBackendTck.class; c != Object.class; c = c.getSuperclass()) {
            groups.push(c);
        }
        List<String> clauses = new ArrayList<>();
        for (Class<?> group : groups) {
            Arrays.stream(group.getDeclaredMethods())
                    .filter(m -> m.isAnnotationPresent(ContractTest.class))
                    .map(Method::getName)
                    .sorted(Comparator.naturalOrder())
                    .forEach(clauses::add);
        }
        return clauses;
    }

    /**
     * Runs {@code clause} against {@code backend} with {@code strategy} and the configuration {@code values}
     * (without strategy and backoff keys: the kit sets its own): passed, skipped by the kit's assumption, or failed
     * with the first failure (the clause's own, else its container's, e.g. a backend that could not be opened).
     */
    static ClauseResult run(String clause, String backend, String strategy, Map<String, String> values) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(ConfiguredKit.class.getName() + "#" + clause + "(java.lang.String)"))
                .configurationParameters(ConfiguredKit.parameters(backend, strategy, values))
                .build();
        AtomicReference<TestExecutionResult> invocation = new AtomicReference<>();
        AtomicReference<TestExecutionResult> container = new AtomicReference<>();
        AtomicReference<String> skipped = new AtomicReference<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                skipped.compareAndSet(null, reason);
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    invocation.compareAndSet(null, result);
                } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    container.compareAndSet(null, result);
                }
            }
        };
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, listener);
        long ms = (System.nanoTime() - start) / 1_000_000;
        TestExecutionResult result = invocation.get() != null ? invocation.get() : container.get();
        if (result == null) {
            return skipped.get() != null ? ClauseResult.skipped(skipped.get(), ms)
                    : ClauseResult.failed(new IllegalStateException("the launcher ran no test for " + clause), ms);
        }
        return switch (result.getStatus()) {
            case SUCCESSFUL -> ClauseResult.passed(ms);
            case ABORTED -> ClauseResult.skipped(result.getThrowable().map(Throwable::getMessage)
                    .orElse("aborted"), ms);
            case FAILED -> ClauseResult.failed(result.getThrowable()
                    .orElse(new AssertionError("failed without a throwable")), ms);
        };
    }
}
