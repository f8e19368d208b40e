package dev.queuebench.suite.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.ClaimedJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A retiring ledger forgets cleanly completed jobs and still answers every question as a ledger keeping them. */
class RetiringLedgerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Enough completions that the ledger looks for jobs to retire at least once. */
    private static final int JOBS = 200;

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Ledger ledger = new Ledger(now::get, Duration.ofSeconds(2));

    @Test
    void aJobCompletedCleanlyIsRetiredAndStaysCompletedSettledAndNotLost() {
        List<String> ids = completeAll();

        Ledger.Verdict verdict = ledger.check();

        assertThat(ledger.keptCount()).as("the first half was completed long enough ago").isEqualTo(JOBS / 2);
        assertThat(verdict.completed()).isEqualTo(JOBS);
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.duplicated()).isZero();
        assertThat(ledger.isSettled("q", ids.getFirst())).isTrue();
        assertThat(ledger.fate("q", ids.getFirst()))
                .isEqualTo(new Ledger.JobFate("q/1", Ledger.Fate.COMPLETED, "complete answered true (attempt 1)"));
        assertThat(ledger.inFlightCount()).isZero();
        assertThat(ledger.redeliveredCount()).isZero();
        assertThat(ledger.unansweredCompletes()).isEmpty();
    }

    @Test
    void aRunReportedForARetiredJobIsADuplicateAndARedelivery() {
        List<String> ids = completeAll();
        now.set(now.get().plusSeconds(1));

        ledger.started(claim(ids.getFirst(), 2, now.get().plusSeconds(30)), now.get());
        ledger.completed(claim(ids.getFirst(), 2, now.get().plusSeconds(30)));

        Ledger.Verdict verdict = ledger.check();
        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.completed()).isEqualTo(JOBS);
        assertThat(ledger.redeliveredCount()).isEqualTo(1);
        assertThat(ledger.fate("q", ids.getFirst()).fate()).isEqualTo(Ledger.Fate.COMPLETED);
    }

    @Test
    void aJobThatFailedOnceIsKeptWholeAndANonNumericIdIsRetired() {
        ledger.enqueued("q", List.of("retried", "a-1"));
        ClaimedJob first = claim("retried", 1, T0.plusSeconds(30));
        ledger.started(first, T0);
        ledger.released(first, T0);
        ledger.started(claim("retried", 2, T0.plusSeconds(30)), T0);
        ledger.completed(claim("retried", 2, T0.plusSeconds(30)));
        ledger.started(claim("a-1", 1, T0.plusSeconds(30)), T0);
        ledger.completed(claim("a-1", 1, T0.plusSeconds(30)));
        completeAll();

        assertThat(ledger.fate("q", "retried").evidence()).isEqualTo("complete answered true (attempt 2)");
        assertThat(ledger.keptCount()).as("'retried' and the second half").isEqualTo(JOBS / 2 + 1);
        assertThat(ledger.fate("q", "a-1").fate()).isEqualTo(Ledger.Fate.COMPLETED);
        assertThat(ledger.check().completed()).isEqualTo(JOBS + 2);
    }

    @Test
    void aRunOfUuidIdsIsRetiredAndStaysCompletedSettledAndNotLost() {
        List<String> ids = completeAll(uuids(JOBS));

        Ledger.Verdict verdict = ledger.check();

        assertThat(ledger.keptCount()).as("the first half was completed long enough ago").isEqualTo(JOBS / 2);
        assertThat(ledger.retiredCount()).isEqualTo(JOBS / 2);
        assertThat(verdict.completed()).isEqualTo(JOBS);
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.duplicated()).isZero();
        assertThat(ledger.isSettled("q", ids.getFirst())).isTrue();
        assertThat(ledger.fate("q", ids.getFirst())).isEqualTo(new Ledger.JobFate("q/" + ids.getFirst(),
                Ledger.Fate.COMPLETED, "complete answered true (attempt 1)"));
        assertThat(ledger.fate("q", UUID.randomUUID().toString())).as("an id never enqueued").isNull();
        assertThat(ledger.inFlightCount()).isZero();
    }

    @Test
    void aLateRunAndCompletionOfARetiredUuidIdIsADuplicateAndARedelivery() {
        List<String> ids = completeAll(uuids(JOBS));
        now.set(now.get().plusSeconds(1));

        ledger.started(claim(ids.getFirst(), 2, now.get().plusSeconds(30)), now.get());
        ledger.completing(claim(ids.getFirst(), 2, now.get().plusSeconds(30)));
        ledger.completed(claim(ids.getFirst(), 2, now.get().plusSeconds(30)));

        Ledger.Verdict verdict = ledger.check();
        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.completed()).isEqualTo(JOBS);
        assertThat(verdict.lost()).isZero();
        assertThat(ledger.redeliveredCount()).isEqualTo(1);
        assertThat(ledger.cameBackCount()).isEqualTo(1);
    }

    @Test
    void aUuidIdEnqueuedButNeverCompletedIsLostBesideRetiredOnes() {
        List<String> ids = completeAll(uuids(JOBS));
        String neverRun = UUID.randomUUID().toString();
        ledger.enqueued("q", List.of(neverRun));

        Ledger.Verdict verdict = ledger.check();

        assertThat(ids).doesNotContain(neverRun);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.lostSample()).containsExactly("q/" + neverRun);
    }

    @Test
    void theBookOfRetiredUuidIdsTakesAtMostTwentyTwoBytesAJobAndKeepsNoEntryForThem() {
        int jobs = 50_000;
        List<String> ids = uuids(jobs);
        ledger.enqueued("q", ids);
        for (String id : ids) {
            ledger.started(claim(id, 1, now.get().plusSeconds(30)), now.get());
            ledger.completed(claim(id, 1, now.get().plusSeconds(30)));
        }
        now.set(now.get().plusSeconds(3));
        String last = UUID.randomUUID().toString();
        for (int i = 0; i < 64; i++) { // enough completions for one more look for jobs to retire
            ledger.enqueued("q", List.of(last + i));
            ledger.started(claim(last + i, 1, now.get().plusSeconds(30)), now.get());
            ledger.completed(claim(last + i, 1, now.get().plusSeconds(30)));
        }

        assertThat(ledger.retiredCount()).isEqualTo(jobs);
        assertThat(ledger.keptCount()).isEqualTo(64);
        assertThat(ledger.retiredBytes()).isBetween(8L * jobs, 22L * jobs + 64 * 1024);
        assertThat(ledger.check().completed()).isEqualTo(jobs + 64);
    }

    @Test
    void startedBetweenRefusesARetiringLedger() {
        assertThatThrownBy(() -> ledger.startedBetween(T0, T0)).isInstanceOf(IllegalStateException.class);
    }

    /** Enqueues, runs and completes ids 1 … JOBS, then lets the clock pass the retirement delay and one more job. */
    private List<String> completeAll() {
        return completeAll(IntStream.rangeClosed(1, JOBS).mapToObj(Integer::toString).toList());
    }

    /** Enqueues, runs and completes {@code ids}, the clock passing the retirement delay after the first half. */
    private List<String> completeAll(List<String> ids) {
        ledger.enqueued("q", ids);
        for (String id : ids) {
            ledger.started(claim(id, 1, now.get().plusSeconds(30)), now.get());
            ledger.completed(claim(id, 1, now.get().plusSeconds(30)));
            if (id.equals(ids.get(ids.size() / 2 - 1))) {
                now.set(now.get().plusSeconds(3));
            }
        }
        return ids;
    }

    private static List<String> uuids(int count) {
        return IntStream.range(0, count).mapToObj(i -> UUID.randomUUID().toString()).toList();
    }

    private static ClaimedJob claim(String id, int attempt, Instant leaseExpiresAt) {
        return new ClaimedJob(id, "q", new byte[0], 0, attempt, 5, T0, leaseExpiresAt, "token-" + attempt);
    }
}
