package dev.queuebench.suite.workload;

import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SelectionSummary;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.report.Table;
import dev.queuebench.suite.run.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the report shows of the stress suite: its table of drain times, and the time to drain them all in the
 * selection summary, where a target that lost or duplicated a job is disqualified.
 */
final class StressReport implements SuiteReport {

    @Override
    public List<String> tables(List<ResultRecord> mine, List<String> targets) {
        Table table = new Table("**Stress**, time to drain (the burst: recovery from its end to an empty queue);"
                + " failing handlers end " + (int) (Scenario.FAILING_SHARE * 50) + " % of jobs dead by design.",
                "case");
        for (ResultRecord r : mine) {
            Object recovery = r.details().get("recovery_ms");
            long errors = r.contention().errors();
            table.cell(r.id().caseName() + " (" + r.jobs().enqueued() + " jobs)", r,
                    r.throughput().durationMs() + " ms"
                    + (recovery == null ? "" : ", recovered in " + recovery + " ms")
                    + (r.jobs().dead() > 0 ? ", " + r.jobs().dead() + " dead" : "")
                    + (errors > 0 ? ", " + errors + " errors" : "") + Table.note(r));
        }
        return table.lines(targets);
    }

    @Override
    public List<Dimension> dimensions(SelectionSummary summary, List<ResultRecord> mine) {
        Map<String, String> disqualified = new LinkedHashMap<>();
        for (String t : summary.targets()) {
            long lost = mine.stream().filter(r -> r.id().target().equals(t)).mapToLong(r -> r.jobs().lost()).sum();
            long duplicated = mine.stream().filter(r -> r.id().target().equals(t))
                    .mapToLong(r -> r.jobs().duplicated()).sum();
            if (lost + duplicated > 0) {
                disqualified.put(t, "disqualified: " + lost + " lost, " + duplicated + " duplicated");
            }
        }
        return List.of(new Dimension("behaviour under stress", "time to drain all stress cases (burst, backlog,"
                + " sparse queues, large payloads, failing handlers); a loss or duplicate disqualifies", "ms", false,
                summary.perTarget(mine, m -> disqualified.containsKey(m.getFirst().id().target())
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(m.stream().mapToLong(r -> r.throughput().durationMs()).sum())),
                disqualified));
    }
}
