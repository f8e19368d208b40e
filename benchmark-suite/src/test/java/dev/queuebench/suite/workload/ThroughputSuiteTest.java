package dev.queuebench.suite.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.suite.workers.Task;
import org.junit.jupiter.api.Test;

class ThroughputSuiteTest {
    @Test
    void ioDrainGivesEveryWorkerTheSameNumberOfWholeBatches() {
        for (int workers : new int[] {1, 2, 4, 8, 16}) {
            for (int batch : new int[] {1, 16}) {
                int jobs = ThroughputSuite.jobsFor(Task.IO, 5_000, workers, batch);
                assertThat(jobs % (workers * batch)).as("W=%d batch=%d", workers, batch).isZero();
                int perWorker = Math.max(100, ThroughputSuite.IO_ROUNDS * batch);
                assertThat(jobs).as("W=%d batch=%d", workers, batch)
                        .isBetween(perWorker * workers, perWorker * workers + workers * batch - 1);
            }
        }
    }

    @Test
    void ioDrainRunsAtLeastItsRoundsOfBatchesPerWorkerWhereTheScenarioHasTheJobs() {
        assertThat(ThroughputSuite.jobsFor(Task.IO, 5_000, 4, 16)).isEqualTo(4 * 16 * ThroughputSuite.IO_ROUNDS);
        assertThat(ThroughputSuite.jobsFor(Task.IO, 1_000, 4, 16)).as("smoke: 5 rounds").isEqualTo(4 * 16 * 5);
        assertThat(ThroughputSuite.jobsFor(Task.IO, 50_000, 4, 16)).as("full: a fiftieth").isEqualTo(4 * 16 * 63);
    }

    @Test
    void noopAndCpuDrainsDoNotDependOnTheWorkers() {
        assertThat(ThroughputSuite.jobsFor(Task.NOOP, 5_000, 16, 16)).isEqualTo(5_000);
        assertThat(ThroughputSuite.jobsFor(Task.CPU, 5_000, 16, 16)).isEqualTo(500);
        assertThat(ThroughputSuite.jobsFor(Task.CPU, 50, 1, 1)).isEqualTo(20);
    }
}
