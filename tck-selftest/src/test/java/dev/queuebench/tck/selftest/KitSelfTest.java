package dev.queuebench.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.Capabilities.Feature;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit tested by its own broken backends: each variant of the catalogue is failed by the clauses named for it,
 * each failure thrown from that clause's own body (not a shared tear-down); the reference passes the whole kit; a
 * broken close fails only its clause; and a backend that declares features off skips exactly their clauses.
 */
class KitSelfTest {

    @Test
    void catalogueHoldsAtLeastThirtyBrokenBackendsEachNamedOnce() {
        List<Variant> all = Catalogue.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(30);
        assertThat(all).extracting(Variant::name).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(v -> assertThat(v.caughtBy()).as(v.name()).isNotEmpty());
    }

    @TestFactory
    Stream<DynamicTest> kitFailsEveryBrokenBackendThroughItsClause() {
        return Catalogue.all().stream().map(variant -> DynamicTest.dynamicTest(variant.name(), () -> {
            KitRun run = KitRun.clauses(variant, variant.caughtBy());

            assertThat(run.failed().keySet()).as("%s (%s): failing clauses", variant, variant.defect())
                    .isNotEmpty().isSubsetOf(variant.caughtBy());
            run.failed().forEach((clause, thrown) -> assertThat(Arrays.stream(thrown.getStackTrace())
                    .anyMatch(frame -> frame.getMethodName().contains(clause)
                            || frame.getMethodName().contains("raceClaimers")
                            || frame.getMethodName().contains("timeWakeUp")))
                    .as("%s fails from the body of %s, not a tear-down: %s", variant, clause, thrown).isTrue());
        }));
    }

    @Test
    void referenceBackendPassesTheWholeKit() {
        KitRun run = KitRun.whole(Variant.reference());

        assertThat(run.failed()).isEmpty();
        assertThat(run.skipped().keySet()).as("the reference keeps every clause but durability beyond its process")
                .containsOnly("jobOutlivesTheBackendThatEnqueuedItUnlessDurabilityIsProcess");
        assertThat(run.passed()).hasSizeGreaterThan(40);
    }

    @Test
    void backendJudgingLeasesLateWithinItsCallsIsNotFailedForRefusingOrRedeliveringThem() {
        Set<String> clauses = Set.of("soakOfProducersConsumersFailuresAndExpiriesBalancesTheLedger",
                "leaseRunsFromClaimTimeNotFromEnqueueTime");

        KitRun run = KitRun.clauses(Catalogue.judgingLeasesLateInItsCalls(), clauses);

        assertThat(run.failed()).isEmpty();
        assertThat(run.passed()).isEqualTo(clauses);
    }

    @Test
    void backendWokenLateInABurstOfLoadIsNotFailedWhenItsLaterWakeUpsComeInTime() {
        Set<String> clause = Set.of("waitingClaimIsWokenByAnEnqueueWithinItsDeclaredBound");

        KitRun run = KitRun.clauses(Catalogue.wokenLateInABurstOfLoad(), clause);

        assertThat(run.failed()).isEmpty();
        assertThat(run.passed()).isEqualTo(clause);
    }

    @Test
    void brokenCloseFailsItsOwnClauseOnly() {
        KitRun run = KitRun.whole(Catalogue.named("CloseIsNotIdempotent"));

        assertThat(run.failed().keySet()).containsExactly("closeIsIdempotentAndEveryLaterCallThrows");
    }

    @Test
    void backendDeclaringEveryFeatureOffSkipsExactlyTheirClauses() {
        Variant modest = Catalogue.declaringNothingOptional();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("higherPriorityIsClaimedFirstIncludingTheExtremes", "PRIORITIES"),
                Map.entry("batchClaimTakesTheHighestPrioritiesFirst", "PRIORITIES"),
                Map.entry("jobsOfOnePriorityAreClaimedInEnqueueOrderWhereStrict", "ORDER_BEST_EFFORT"),
                Map.entry("earlierRunAtGoesFirstWithinAPriorityWhereStrict", "ORDER_BEST_EFFORT"),
                Map.entry("batchWithAnOversizedPayloadStoresNothingWhateverItsSize", "ATOMIC_BATCH"),
                Map.entry("extendedLeaseRunsFromNowNotFromItsOldExpiry", "EXTEND_LEASE"),
                Map.entry("extendedLeaseOutlivesItsFirstExpiry", "EXTEND_LEASE"),
                Map.entry("staleLeaseCannotCompleteFailOrExtendAfterRedelivery", "FENCING"),
                Map.entry("expiredLeaseCannotFailCompleteOrExtendEvenBeforeAnotherClaim", "FENCING"),
                Map.entry("settledLeaseCannotBeUsedAgain", "FENCING"),
                Map.entry("leaseOfOneQueueIsRefusedForTheSameIdNamedInAnother", "FENCING"),
                Map.entry("completeAllAnswersEachJobOnItsOwn", "FENCING"),
                Map.entry("delayedJobIsInvisibleUntilItsRunAt", "DELAYED_JOBS"),
                Map.entry("waitingClaimPicksUpADelayedJobWhenItComesDueWithinThePollInterval", "DELAYED_JOBS"),
                Map.entry("statsAreExactAtRest", "EXACT_STATS"),
                Map.entry("statsSettleExpiredLeasesAndDueJobsWithoutAnyOtherOperation", "EXACT_STATS"),
                Map.entry("jobOutlivesTheBackendThatEnqueuedItUnlessDurabilityIsProcess", "PROCESS"));

        KitRun run = KitRun.whole(modest);

        assertThat(run.failed()).isEmpty();
        assertThat(run.skipped().keySet()).isEqualTo(expected.keySet());
        expected.forEach((clause, named) ->
                assertThat(run.skipped().get(clause)).as("reason %s skipped", clause).contains(named));
        Set<String> features = new HashSet<>();
        Arrays.stream(Feature.values()).forEach(f -> features.add(f.name()));
        features.remove(Feature.WAKE_ON_ENQUEUE.name()); // its clause holds a backend without it to the poll interval
        assertThat(expected.values()).as("every other feature has a clause").containsAll(features);
        assertThat(run.passed()).contains("waitingClaimIsWokenByAnEnqueueWithinItsDeclaredBound");
    }
}
