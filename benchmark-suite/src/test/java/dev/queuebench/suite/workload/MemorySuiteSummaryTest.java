package dev.queuebench.suite.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.suite.report.ResultRecord.Memory;
import dev.queuebench.suite.report.ResultRecord.MemorySample;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The memory verdict judges the client heap less the ledger's own tables and reports the server's growth apart. */
class MemorySuiteSummaryTest {
    private static final long MIB = 1 << 20;

    @Test
    void heapGrowthThatIsAllTheLedgersTablesIsNoLeakAndTheServersGrowthFollowsTheVerdict() {
        // 60 samples a second apart: the heap grows 4 MiB/min, all of it the ledger's; the server's RSS 3 MiB/min
        List<MemorySample> samples = IntStream.range(0, 60).mapToObj(i -> new MemorySample(i * 1000L,
                100 * MIB + i * 4 * MIB / 60, 0, 10, i, i, Map.of(), i * 4 * MIB / 60, 50 * MIB + i * 3 * MIB / 60,
                i * 10.0)).toList();

        Memory memory = MemorySuite.summarize(samples, "redis-server pid 1", null);

        assertThat(memory.heapGrowthBytesPerMin()).isBetween(-0.01 * MIB, 0.01 * MIB);
        assertThat(memory.ledgerGrowthBytesPerMin()).isBetween(3.99 * MIB, 4.01 * MIB);
        assertThat(memory.serverRssGrowthBytesPerMin()).isBetween(2.99 * MIB, 3.01 * MIB);
        assertThat(memory.leakVerdict()).isEqualTo("no leak: heap after GC grows 0.00 MiB/min;"
                + " server RSS grows 3.00 MiB/min (redis-server pid 1)");
    }

    @Test
    void theSameHeapGrowthWithoutTheLedgerIsALeakAndAServerThatCannotBeReadSaysWhy() {
        List<MemorySample> samples = IntStream.range(0, 60).mapToObj(i -> new MemorySample(i * 1000L,
                100 * MIB + i * 8 * MIB / 60, 0, 10, i, i, Map.of(), 0L, null, null)).toList();

        Memory memory = MemorySuite.summarize(samples, null, "no server process to read");

        assertThat(memory.leakVerdict()).isEqualTo("leak suspected: heap after GC grows 8.0 MiB/min");
        assertThat(memory.serverRssGrowthBytesPerMin()).isNull();
        assertThat(memory.serverReason()).isEqualTo("no server process to read");
    }
}
