package dev.queuebench.tck.selftest;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One run of the kit against one variant through the JUnit Platform launcher: which clauses (test methods) failed,
 * with what, and which were skipped, with the reason.
 *
 * @param failed  clause name to the failure thrown (the first, for a clause run per strategy)
 * @param skipped clause name to the reason
 * @param passed  clauses that passed
 */
record KitRun(Map<String, Throwable> failed, Map<String, String> skipped, Set<String> passed) {

    /** Runs every clause of the kit against {@code variant}. */
    static KitRun whole(Variant variant) {
        return run(variant, List.of(selectClass(VariantKit.class)));
    }

    /** Runs only the named clauses against {@code variant}. */
    static KitRun clauses(Variant variant, Set<String> clauses) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String clause : clauses) {
            selectors.add(selectMethod(VariantKit.class.getName() + "#" + clause + "(java.lang.String)"));
        }
        return run(variant, selectors);
    }

    private static KitRun run(Variant variant, List<? extends DiscoverySelector> selectors) {
        Map<String, Throwable> failed = new ConcurrentHashMap<>();
        Map<String, String> skipped = new ConcurrentHashMap<>();
        Set<String> passed = ConcurrentHashMap.newKeySet();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .configurationParameter(VariantKit.VARIANT, variant.name())
                .build();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                clause(test).ifPresent(name -> skipped.put(name, reason));
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    if (test.isTest()) {
                        clause(test).ifPresent(passed::add);
                    }
                    return;
                }
                Throwable thrown = result.getThrowable().orElse(new AssertionError(result.getStatus()));
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    clause(test).ifPresent(name -> skipped.put(name, String.valueOf(thrown.getMessage())));
                } else {
                    failed.putIfAbsent(clause(test).orElse(test.getDisplayName()), thrown);
                }
            }
        };
        LauncherFactory.create().execute(request, listener);
        return new KitRun(Map.copyOf(failed), Map.copyOf(skipped), Set.copyOf(passed));
    }

    /** The test method a test (or a strategy's invocation of it) runs. */
    private static Optional<String> clause(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName());
    }
}
