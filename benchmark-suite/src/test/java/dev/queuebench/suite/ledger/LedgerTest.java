package dev.queuebench.suite.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.ClaimedJob;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Ledger ledger = new Ledger();

    @Test
    void anEnqueuedJobNeverCompletedNorDeadIsLost() {
        ledger.enqueued("q", List.of("1", "2", "3"));
        ledger.completed(claim("1", 1, T0));
        ledger.dead("q", "2");

        Ledger.Verdict verdict = ledger.check();

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.lostSample()).containsExactly("q/3");
        assertThat(verdict.completed()).isEqualTo(1);
        assertThat(verdict.dead()).isEqualTo(1);
        assertThat(ledger.settledCount()).isEqualTo(2);
    }

    @Test
    void aCompletedJobWhoseEnqueueWasNeverRecordedDoesNotCountAsSettledUntilItIs() {
        ledger.enqueued("q", List.of("1"));
        ledger.completed(claim("stored-though-its-enqueue-failed", 1, T0));

        assertThat(ledger.settledCount()).as("the stray completion stands in for no job").isZero();

        ledger.completed(claim("2", 1, T0));
        ledger.enqueued("q", List.of("2"));

        assertThat(ledger.settledCount()).as("settled before its enqueue was recorded").isEqualTo(1);
    }

    @Test
    void theSameIdInTwoQueuesIsTwoJobs() {
        ledger.enqueued("a", List.of("1"));
        ledger.enqueued("b", List.of("1"));
        ledger.started(new ClaimedJob("1", "a", new byte[0], 0, 1, 5, T0, T0.plusSeconds(30), "t"), T0);
        ledger.started(new ClaimedJob("1", "b", new byte[0], 0, 1, 5, T0, T0.plusSeconds(30), "t"), T0);

        Ledger.Verdict verdict = ledger.check();

        assertThat(verdict.duplicated()).isZero();
        assertThat(verdict.lostSample()).containsExactly("a/1", "b/1");
    }

    @Test
    void aRunStartedWhileAnEarlierLeaseIsValidIsADuplicate() {
        ledger.enqueued("q", List.of("1"));
        ledger.started(claim("1", 1, T0.plusSeconds(30)), T0);
        ledger.started(claim("1", 1, T0.plusSeconds(30)), T0.plusSeconds(1));

        assertThat(ledger.check().duplicated()).isEqualTo(1);
    }

    @Test
    void aRedeliveryAfterTheLeaseExpiredOrWasReleasedByFailIsNoDuplicate() {
        ledger.enqueued("q", List.of("expired", "failed"));
        runExpiredTwiceAndFailedTwice();

        assertThat(ledger.check().duplicated()).isZero();
    }

    @Test
    void aRunAfterALostLeaseCountsAsRedeliveredAndARetryAfterFailDoesNot() {
        ledger.enqueued("q", List.of("expired", "failed", "held"));
        runExpiredTwiceAndFailedTwice();
        ledger.started(claim("held", 1, T0.plusSeconds(30)), T0.plusSeconds(40));

        assertThat(ledger.redeliveredCount()).isEqualTo(1);
        assertThat(ledger.inFlightCount()).as("every job has a run not settled nor released").isEqualTo(3);
        assertThat(ledger.startedBetween(T0.plusSeconds(30), T0.plusSeconds(40))).as("expired and held").isEqualTo(2);
        ledger.completed(claim("held", 1, T0.plusSeconds(30)));
        assertThat(ledger.inFlightCount()).isEqualTo(2);
        assertThat(ledger.isSettled("q", "held")).isTrue();
    }

    @Test
    void aRunStartedAfterTheJobWasCompletedIsADuplicate() {
        ledger.enqueued("q", List.of("1"));
        ledger.started(claim("1", 1, Instant.now().minusSeconds(5)), Instant.now().minusSeconds(10));
        ledger.completed(claim("1", 1, T0));
        ledger.started(claim("1", 2, Instant.now().plusSeconds(30)), Instant.now().plusSeconds(1));

        assertThat(ledger.check().duplicated()).isEqualTo(1);
    }

    @Test
    void awaitSettledReturnsOnceTheTargetIsReached() throws InterruptedException {
        ledger.enqueued("q", List.of("1", "2"));
        assertThat(ledger.awaitSettled(2, 10)).isFalse();
        Thread.ofPlatform().start(() -> {
            ledger.completed(claim("1", 1, T0));
            ledger.dead("q", "2");
        });

        assertThat(ledger.awaitSettled(2, 10_000)).isTrue();
    }

    @Test
    void aCompleteSentWithoutAnAnswerIsLostUntilTheJobIsFoundGoneThenCompletedUnconfirmed() {
        ledger.enqueued("q", List.of("1"));
        ClaimedJob run = claim("1", 1, T0.plusSeconds(30));
        ledger.started(run, T0);
        ledger.completing(run);

        assertThat(ledger.unansweredCompletes()).singleElement().satisfies(u -> {
            assertThat(u.id()).isEqualTo("1");
            assertThat(u.attempt()).isEqualTo(1);
            assertThat(u.leaseEnd()).isEqualTo(T0.plusSeconds(30));
        });
        assertThat(ledger.check().lost()).isEqualTo(1);
        assertThat(ledger.fate("q", "1").evidence()).isEqualTo("attempt 1: complete sent, no answer");

        ledger.confirmGone(ledger.unansweredCompletes().getFirst(), "gone: checked");

        Ledger.Verdict verdict = ledger.check();
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.completed()).isEqualTo(1);
        assertThat(verdict.unconfirmed()).containsExactly(
                new Ledger.JobFate("q/1", Ledger.Fate.COMPLETED_UNCONFIRMED, "gone: checked"));
        assertThat(ledger.settledCount()).isEqualTo(1);
        assertThat(ledger.unansweredCompletes()).isEmpty();
    }

    @Test
    void aRefusedCompleteOrARunAfterTheUnansweredOneIsNoUnansweredCompleteAndCannotBeConfirmedGone() {
        ledger.enqueued("q", List.of("refused", "rerun"));
        ClaimedJob refused = claim("refused", 1, T0.plusSeconds(30));
        ledger.started(refused, T0);
        ledger.completing(refused);
        ClaimedJob first = claim("rerun", 1, T0.plusSeconds(30));
        ledger.started(first, T0);
        ledger.completing(first);
        Ledger.Unanswered stale = ledger.unansweredCompletes().stream().filter(u -> u.id().equals("rerun"))
                .findFirst().orElseThrow();
        ledger.started(claim("rerun", 2, T0.plusSeconds(61)), T0.plusSeconds(31));
        ledger.refused(refused);

        assertThat(ledger.unansweredCompletes()).isEmpty();
        ledger.confirmGone(stale, "gone");
        ledger.confirmGone(new Ledger.Unanswered("q", "refused", 1, T0, T0.plusSeconds(30)), "gone");

        Ledger.Verdict verdict = ledger.check();
        assertThat(verdict.lost()).isEqualTo(2);
        assertThat(verdict.unconfirmed()).isEmpty();
        assertThat(verdict.lostFates()).extracting(Ledger.JobFate::evidence).containsExactly(
                "attempt 1: complete answered false (refused)", "attempt 2: handler started, no complete sent");
    }

    /** "expired" runs again after its first lease expired; "failed" runs again after a fail released it. */
    private void runExpiredTwiceAndFailedTwice() {
        ledger.started(claim("expired", 1, T0.plusSeconds(30)), T0);
        ledger.started(claim("expired", 2, T0.plusSeconds(61)), T0.plusSeconds(31));
        ClaimedJob first = claim("failed", 1, T0.plusSeconds(30));
        ledger.started(first, T0);
        ledger.released(first, T0.plusSeconds(1));
        ledger.started(claim("failed", 2, T0.plusSeconds(32)), T0.plusSeconds(2));
    }

    private static ClaimedJob claim(String id, int attempt, Instant leaseExpiresAt) {
        return new ClaimedJob(id, "q", new byte[0], 0, attempt, 5, T0, leaseExpiresAt, "token-" + attempt);
    }
}
