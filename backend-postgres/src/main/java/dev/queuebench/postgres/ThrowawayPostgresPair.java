package dev.queuebench.postgres;

import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL primary and one streaming standby made from it by {@code pg_basebackup -R}, each a
 * {@link ThrowawayPostgres} of its own. In {@link #SYNC} the primary runs with {@code synchronous_standby_names}
 * naming the standby and {@code synchronous_commit = on}: a commit returns once the standby has flushed it. In
 * {@link #ASYNC} it names none: a commit returns once the primary has flushed it, and the standby follows. The
 * backend reaches the pair through a multi-host URL with {@code targetServerType=primary}, as production clients do;
 * the failover is the operator's: {@link #killLeader()} SIGKILLs the primary, {@link #promote()} runs
 * {@code pg_ctl promote} on the standby, which then runs alone (and, having no standby, commits asynchronously).
 */
final class ThrowawayPostgresPair implements ThrowawayCluster {
    static final ClusterForm SYNC = new ClusterForm("sync-standby", "primary + 1 streaming standby,"
            + " synchronous_standby_names set, synchronous_commit = on", false, "a synchronous standby has every"
            + " acknowledged commit: none may be lost");
    static final ClusterForm ASYNC = new ClusterForm("async-standby", "primary + 1 streaming standby, asynchronous"
            + " (synchronous_standby_names empty)", true, "an asynchronous standby may lag: commits acknowledged by the"
            + " primary but not yet streamed are lost when it dies (allowed, by this configuration)");
    /** The standby's application_name, as synchronous_standby_names names it. */
    private static final String STANDBY = "qb_standby";
    private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    /**
     * How soon pgjdbc looks again at a host it found to be a standby (default 10 s): once the standby is promoted,
     * new connections find it within this.
     */
    private static final int HOST_RECHECK_SECONDS = 1;

    private final ClusterForm form;
    private final ThrowawayPostgres primary;
    private final ThrowawayPostgres standby;
    private volatile boolean failedOver;

    private ThrowawayPostgresPair(ClusterForm form, ThrowawayPostgres primary, ThrowawayPostgres standby) {
        this.form = form;
        this.primary = primary;
        this.standby = standby;
    }

    /**
     * Starts a primary and its standby in {@code form} ({@link #SYNC} or {@link #ASYNC}); returns once the standby
     * streams from the primary in the expected mode (pg_stat_replication's sync_state), or throws after stopping both.
     */
    static ThrowawayPostgresPair start(ClusterForm form) {
        boolean sync = form.equals(SYNC);
        if (!sync && !form.equals(ASYNC)) {
            throw new IllegalArgumentException("no PostgreSQL cluster form '" + form.name() + "'");
        }
        List<String> settings = sync
                ? List.of("synchronous_standby_names=" + STANDBY, "synchronous_commit=on")
                : List.of("synchronous_standby_names=''", "synchronous_commit=on");
        ThrowawayPostgres primary = ThrowawayPostgres.start(settings);
        ThrowawayPostgres standby = null;
        try {
            standby = ThrowawayPostgres.standbyOf(primary, STANDBY);
            awaitStreaming(primary, sync ? "sync" : "async");
            return new ThrowawayPostgresPair(form, primary, standby);
        } catch (RuntimeException e) {
            if (standby != null) {
                standby.close();
            }
            primary.close();
            throw e;
        }
    }

    private static void awaitStreaming(ThrowawayPostgres primary, String syncState) {
        String sql = "SELECT count(*) FROM pg_stat_replication WHERE application_name = '" + STANDBY + "'"
                + " AND state = 'streaming' AND sync_state = '" + syncState + "'";
        ThrowawayCluster.awaitReady(() -> primary.query(sql).equals("1"), FOLLOW_TIMEOUT, POLL,
                () -> "the throwaway standby did not stream from its primary (" + syncState + ") within "
                        + FOLLOW_TIMEOUT.toSeconds() + " s: " + primary.query("SELECT application_name, state,"
                        + " sync_state FROM pg_stat_replication"));
    }

    @Override
    public ClusterForm form() {
        return form;
    }

    /** A multi-host jdbc URL listing primary then standby, {@code targetServerType=primary}. */
    @Override
    public Map<String, String> config() {
        return Map.of(PostgresConfig.URL.name(), "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:"
                + standby.port() + "/postgres?user=postgres&targetServerType=primary&hostRecheckSeconds="
                + HOST_RECHECK_SECONDS);
    }

    @Override
    public String describe() {
        return "throwaway PostgreSQL pair (" + form.description() + "): primary on 127.0.0.1:" + primary.port()
                + ", standby on 127.0.0.1:" + standby.port() + (failedOver ? " (promoted)" : "");
    }

    /** SIGKILLs the postmaster and every backend of the primary at once. */
    @Override
    public String killLeader() {
        List<ProcessHandle> processes = primary.processes();
        primary.kill();
        processes.forEach(p -> p.onExit().join());
        return "SIGKILL to the primary's " + processes.size() + " processes (postmaster pid "
                + processes.getFirst().pid() + ", 127.0.0.1:" + primary.port() + ")";
    }

    /** {@code pg_ctl promote} on the standby; returns once it accepts writes. */
    @Override
    public String promote() {
        standby.promote();
        failedOver = true;
        return "pg_ctl promote on the standby (127.0.0.1:" + standby.port() + ")";
    }

    /** The standby, while it is one: the node the test reads replicated rows on. */
    ThrowawayPostgres standby() {
        return standby;
    }

    /** The primary as it was started (dead after {@link #killLeader()}). */
    ThrowawayPostgres primary() {
        return primary;
    }

    /** Stops both nodes (the killed one is only removed) and removes their folders. */
    @Override
    public void close() {
        try {
            standby.close();
        } finally {
            primary.close();
        }
    }
}
