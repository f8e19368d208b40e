package dev.queuebench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** A listener that writes down every event, named by the job's payload text, for the tests to read back. */
final class RecordingListener implements WorkerListener {
    enum Kind { CLAIMED, STARTED, EXTENDED, ACKNOWLEDGING, ACKNOWLEDGED, REFUSED, FAILED, LEASE_LOST, ABANDONED }

    static final Set<Kind> FINAL = EnumSet.of(Kind.ACKNOWLEDGED, Kind.REFUSED, Kind.FAILED, Kind.LEASE_LOST,
            Kind.ABANDONED);

    /** One event; {@code outcome} is set for FAILED, {@code at} is the event's {@code before} or start time. */
    record Event(Kind kind, String name, String queue, int attempt, Instant at, FailResult.Outcome outcome) {
        String claim() {
            return queue + "/" + name + "#" + attempt;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private final Consumer<String> log;

    RecordingListener() {
        this(line -> {});
    }

    /** Also writes {@code acknowledging:<name>} to {@code log}, to order it against backend calls. */
    RecordingListener(Consumer<String> log) {
        this.log = log;
    }

    static String name(ClaimedJob job) {
        return new String(job.payload(), StandardCharsets.UTF_8);
    }

    @Override
    public void claimed(ClaimedJob job) {
        add(Kind.CLAIMED, job, Instant.now(), null);
    }

    @Override
    public void handlerStarted(ClaimedJob job, long startNanos, Instant startedAt) {
        add(Kind.STARTED, job, startedAt, null);
    }

    @Override
    public void leaseExtended(ClaimedJob job, Instant leaseExpiresAt) {
        add(Kind.EXTENDED, job, leaseExpiresAt, null);
    }

    @Override
    public void acknowledging(ClaimedJob job) {
        log.accept("acknowledging:" + name(job));
        add(Kind.ACKNOWLEDGING, job, Instant.now(), null);
    }

    @Override
    public void acknowledged(ClaimedJob job, boolean completed, Instant before) {
        add(completed ? Kind.ACKNOWLEDGED : Kind.REFUSED, job, before, null);
    }

    @Override
    public void failed(ClaimedJob job, FailResult result, Instant before) {
        add(Kind.FAILED, job, before, result.outcome());
    }

    @Override
    public void leaseLost(ClaimedJob job) {
        add(Kind.LEASE_LOST, job, Instant.now(), null);
    }

    @Override
    public void abandoned(ClaimedJob job, String reason) {
        add(Kind.ABANDONED, job, Instant.now(), null);
    }

    private synchronized void add(Kind kind, ClaimedJob job, Instant at, FailResult.Outcome outcome) {
        events.add(new Event(kind, name(job), job.queue(), job.attempt(), at, outcome));
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> of(Kind kind) {
        return events().stream().filter(e -> e.kind() == kind).toList();
    }

    List<Event> of(Kind kind, String name) {
        return of(kind).stream().filter(e -> e.name().equals(name)).toList();
    }

    long count(Kind kind) {
        return of(kind).size();
    }

    /** Names of jobs acknowledged with true, once per acknowledgement (so duplicates show). */
    List<String> acknowledged() {
        return of(Kind.ACKNOWLEDGED).stream().map(Event::name).toList();
    }

    /** Every claimed job got exactly one final event, and nothing else came before its claim or after its end. */
    void assertOneFinalEventPerClaim() {
        List<Event> all = events();
        Map<String, List<Kind>> byClaim = all.stream().collect(Collectors.groupingBy(Event::claim,
                Collectors.mapping(Event::kind, Collectors.toList())));
        byClaim.forEach((claim, kinds) -> {
            assertThat(kinds).as("events of %s", claim).startsWith(Kind.CLAIMED);
            assertThat(kinds.stream().filter(FINAL::contains)).as("final events of %s", claim).hasSize(1);
            assertThat(kinds.getLast()).as("the last event of %s", claim).isIn(FINAL);
        });
    }
}
