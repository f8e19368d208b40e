package dev.queuebench.suite.run;

import dev.queuebench.api.ConfigurationException;
import dev.queuebench.suite.chaos.ChaosSuite;
import dev.queuebench.suite.conformance.ConformanceSuite;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.workload.ConcurrencySuite;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.MemorySuite;
import dev.queuebench.suite.workload.StressSuite;
import dev.queuebench.suite.workload.ThroughputSuite;
import java.util.List;

/** The one list of suites: a new suite is added here and nowhere else. */
public final class Suites {
    /** Every suite, in the order a run takes them. */
    public static final List<Suite> ALL = List.of(new ThroughputSuite(), new LatencySuite(), new ConcurrencySuite(),
            new StressSuite(), new MemorySuite(), new ConformanceSuite(), new ChaosSuite());

    private Suites() {}

    /** Every suite's name, in run order. */
    public static List<String> names() {
        return ALL.stream().map(Suite::name).toList();
    }

    /** The names of the suites that run when none is named. */
    public static List<String> defaultNames() {
        return ALL.stream().filter(Suite::runsByDefault).map(Suite::name).toList();
    }

    /** The suite called {@code name}; throws naming the known ones otherwise. */
    public static Suite named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigurationException("no suite named '" + name + "'; known: " + names()));
    }

    /** The report of the suite named {@code suite}; {@link SuiteReport#NOTHING} for a name no suite has. */
    public static SuiteReport reportOf(String suite) {
        return ALL.stream().filter(s -> s.name().equals(suite)).findFirst().map(Suite::report)
                .orElse(SuiteReport.NOTHING);
    }

    /** The records of {@code records} that the suite named {@code suite} wrote, in their order. */
    public static List<ResultRecord> recordsOf(String suite, List<ResultRecord> records) {
        return records.stream().filter(r -> r.id().suite().equals(suite)).toList();
    }
}
