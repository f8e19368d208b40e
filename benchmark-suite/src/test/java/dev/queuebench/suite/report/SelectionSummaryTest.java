package dev.queuebench.suite.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.suite.Records;
import dev.queuebench.suite.report.RunReport.Declared;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionSummaryTest {

    @Test
    void eachDimensionNamesItsLeaderAndTheRatioComputedFromTheRecords() {
        String md = summary(List.of(
                Records.withRates("redis/lua", "throughput", "drain_noop_batched", 1, 2000),
                Records.withRates("redis/lua", "throughput", "drain_noop_batched", 4, 5000),
                Records.withRates("pg/skip", "throughput", "drain_noop_batched", 1, 1000),
                Records.withRates("pg/skip", "throughput", "drain_noop_batched", 4, 4000),
                Records.withLatency("redis/lua", "open_loop_100_per_s", 1, 6),
                Records.withLatency("pg/skip", "open_loop_100_per_s", 1, 3)));

        assertThat(md).contains("| peak throughput | **redis/lua** 5,000 jobs/s | 1.25× over pg/skip |",
                "| scaling 1→4 workers | **pg/skip** 4.00× | 1.60× over redis/lua |",
                "| p99 latency at a fixed rate | **pg/skip** 3.00 ms | 2.00× lower than redis/lua |",
                "| durability declared | **pg/skip** DURABLE |");
    }

    @Test
    void theCrashSafePickIsTheFastestBackendThatDeclaresIt() {
        String md = summary(List.of(
                Records.withRates("redis/lua", "throughput", "drain_noop_batched", 4, 5000),
                Records.withRates("pg/skip", "throughput", "drain_noop_batched", 4, 4000)));

        assertThat(md).contains(
                "- Most jobs per second, whatever the durability: **redis/lua (5,000 jobs/s, VOLATILE)**",
                "- Jobs must survive a crash of the process or the server: **pg/skip (4,000 jobs/s, DURABLE)**");
    }

    @Test
    void tiedLeadersAreNamedTogetherAndComparedWithTheFirstBehindThem() {
        String md = summary(List.of(
                Records.withContention("redis/lua", 24, 900, 0, 0),
                Records.withContention("pg/skip", 24, 800, 0, 0),
                Records.withContention("pg/optimistic", 24, 700, 4000, 0)));

        assertThat(md).contains("| conflicts and lock errors under contention | **redis/lua, pg/skip** 0.00 per 1,000"
                        + " jobs | 4,000 per 1,000 jobs less than pg/optimistic",
                "- Many workers on one queue: **redis/lua (900 jobs/s with 24 workers");
    }

    @Test
    void aTargetThatLostJobsUnderStressIsDisqualifiedThereAndItsPicksWarn() {
        String md = summary(List.of(
                Records.withRates("redis/lua", "throughput", "drain_noop_batched", 4, 5000),
                Records.withStress("redis/lua", "burst", 100, 3),
                Records.withStress("pg/skip", "burst", 900, 0)));

        assertThat(md).contains("| behaviour under stress | **pg/skip** 900 ms | only one measured | pg/skip 900 ms"
                        + " · redis/lua **disqualified: 3 lost, 0 duplicated** |",
                "**redis/lua (5,000 jobs/s, VOLATILE)** — but it lost 3 and duplicated 0 jobs in this run");
    }

    @Test
    void survivingTheLeadersDeathCountsOnlyFormsThatDeclareNoLossAndListsTheOthersApart() {
        String md = summary(List.of(
                Records.withFailover("pg/skip", "sync-standby", false, 0, 3200),
                Records.withFailover("pg/skip", "async-standby", true, 12, 2100),
                Records.withFailover("pg/optimistic", "sync-standby", false, 2, 4000),
                Records.withFailover("redis/lua", "cluster-async", true, 5, 3000)));

        assertThat(md).contains("| survives losing its leader | **pg/skip** 0.00 jobs | 2.00 jobs less than"
                        + " pg/optimistic (2.00 jobs) | pg/skip 0.00 jobs · pg/optimistic 2.00 jobs · redis/lua"
                        + " **only forms that allow loss: cluster-async lost 5** |",
                "| stall when the leader dies | **pg/skip** 2.10 s | 1.43× lower than redis/lua |");
    }

    @Test
    void theFootprintRowRanksTheStoredBytesEachBackendTellsAndLeavesOutOneThatCannotTell() {
        String md = summary(List.of(
                Records.withFootprint("redis/lua", Map.of("stored_bytes", 3L << 20, "keys", 10L)),
                Records.withFootprint("pg/skip", Map.of("stored_bytes", 1L << 20, "table_bytes", 1L << 20)),
                Records.withFootprint("pg/optimistic", Map.of("queues", 1L, "table_bytes", 9L << 20))));

        assertThat(md).contains("| backend footprint | **pg/skip** 1.00 MiB | 3.00× lower than redis/lua |"
                + " pg/skip 1.00 MiB · redis/lua 3.00 MiB |");
    }

    private static String summary(List<ResultRecord> records) {
        Map<String, Declared> capabilities = Map.of(
                "redis/lua", new Declared(Durability.VOLATILE, Ordering.ORDER_STRICT, true, 1, true),
                "pg/skip", new Declared(Durability.DURABLE, Ordering.ORDER_STRICT, true, 1, true),
                "pg/optimistic", new Declared(Durability.DURABLE, Ordering.ORDER_STRICT, true, 1, true));
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, "run", "", "", "quick", "", null, Map.of(),
                capabilities, Targets.BUILT_IN, 0, null, records);
        StringBuilder md = new StringBuilder();
        new SelectionSummary(report).render(md);
        return md.toString();
    }
}
