package dev.queuebench.suite.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuebench.api.ConfigurationException;
import dev.queuebench.suite.workers.Task;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void anUnknownBackendListsTheAvailableOnes() {
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "oracle"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("option 'backend'")
                .hasMessageContaining("unknown backend 'oracle'")
                .hasMessageContaining("memory");
    }

    @Test
    void aBadNumberNamesTheOptionAndItsRange() {
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "workers", "4,many"), Map.of()))
                .hasMessageContaining("option 'workers'")
                .hasMessageContaining("from 1 to 1024")
                .hasMessageContaining("'4,many'");
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "jobs", "0"), Map.of()))
                .hasMessageContaining("option 'jobs'");
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "processes", "0"), Map.of()))
                .hasMessageContaining("option 'processes'");
    }

    @Test
    void anUnknownSuiteScenarioTaskOrStrategyNamesWhatIsAccepted() {
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "suite", "throughput,speed"), Map.of()))
                .hasMessageContaining("option 'suite'").hasMessageContaining("latency");
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "scenario", "huge"), Map.of()))
                .hasMessageContaining("option 'scenario'").hasMessageContaining("smoke");
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "task", "sleep"), Map.of()))
                .hasMessageContaining("option 'task'").hasMessageContaining("noop");
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "strategy", "skip-locked"), Map.of()))
                .hasMessageContaining("option 'strategy'").hasMessageContaining("monitor");
    }

    @Test
    void optionsOverrideTheScenarioAndBackendKeysComeFromOptionsAndTheEnvironment() {
        RunOptions options = RunOptions.parse(Map.of("backend", "memory", "scenario", "QUICK", "workers", "2, 8",
                "suite", "latency", "memory.backoffJitter", "0.5", "nobackend.url", "x"),
                Map.of("QUEUEBENCH_REDELIVERING_URL", "redis://u:pw@127.0.0.1:6390", "unrelated", "x"));

        assertThat(options.scenario()).isEqualTo(Scenario.QUICK);
        assertThat(options.workers()).containsExactly(2, 8);
        assertThat(options.suites()).containsExactly("latency");
        assertThat(options.backendValues("memory")).containsExactly(Map.entry("backoffJitter", "0.5"));
        assertThat(options.backendValues("redelivering")).containsEntry("url", "redis://u:pw@127.0.0.1:6390");
        assertThat(options.backendValues("dropping")).isEmpty();
        assertThat(options.reproduceCommand()).contains("'-Dworkers=2, 8'", "-Dmemory.backoffJitter=0.5",
                "-Dredelivering.url=****").doesNotContain("pw@", "nobackend"); // a key its provider does not declare
    }

    @Test
    void theRegressionThresholdDefaultsToTenPercentAndABadOneNamesTheOption() {
        assertThat(RunOptions.parse(Map.of("backend", "memory"), Map.of()).regressionThreshold()).isEqualTo(0.10);
        assertThat(RunOptions.parse(Map.of("backend", "memory", "regressionThreshold", "0.25"), Map.of())
                .regressionThreshold()).isEqualTo(0.25);
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "regressionThreshold", "10%"), Map.of()))
                .hasMessageContaining("option 'regressionThreshold'").hasMessageContaining("'10%'");
    }

    @Test
    void claimAheadDefaultsToTheIoDrainsAloneAndWhenGivenAppliesToEveryCase() {
        RunOptions defaults = RunOptions.parse(Map.of("backend", "memory"), Map.of());
        assertThat(defaults.claimAhead()).isEmpty();
        assertThat(defaults.claimAheadFor(Task.IO)).isTrue();
        assertThat(defaults.claimAheadFor(Task.NOOP)).isFalse();
        assertThat(defaults.claimAheadFor(Task.CPU)).isFalse();

        RunOptions off = RunOptions.parse(Map.of("backend", "memory", "claimAhead", "false"), Map.of());
        assertThat(off.claimAheadFor(Task.IO)).isFalse();
        RunOptions on = RunOptions.parse(Map.of("backend", "memory", "claimAhead", "true"), Map.of());
        assertThat(on.claimAheadFor(Task.NOOP)).isTrue();
        assertThat(on.reproduceCommand()).contains("-DclaimAhead=true");
        assertThatThrownBy(() -> RunOptions.parse(Map.of("backend", "memory", "claimAhead", "sometimes"), Map.of()))
                .hasMessageContaining("option 'claimAhead'").hasMessageContaining("'sometimes'");
    }

    @Test
    void allMeansEveryBackendOnTheClassPath() {
        assertThat(RunOptions.parse(Map.of("backend", "all"), Map.of()).backends()).contains("memory", "dropping");
    }

    @Test
    void theCliRejectsABadValueWithTheSameMessageAndExitsOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(Cli.execute(new String[] {"run", "--backend", "memory", "--payload-bytes", "tiny"}))
                    .isEqualTo(1);
            assertThat(Cli.execute(new String[] {"run", "--no-such-option"})).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("option 'payloadBytes' must be a whole number")
                .contains("Unknown option: '--no-such-option'");
    }

    @Test
    void listPrintsBackendsWithStrategiesAndCapabilitiesAndTheScenarios() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = Main.list(Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("memory", "strategies: monitor", "durability PROCESS")
                .contains(Scenario.labels().toArray(String[]::new));
        assertThat(List.of(bytes.toString(StandardCharsets.UTF_8).split("\n")))
                .anyMatch(line -> line.contains("unreachable") || line.contains("not known here"));
    }
}
