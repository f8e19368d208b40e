package dev.queuebench.sqlite;

import dev.queuebench.api.ResourceText;
import java.util.List;

/** The SQL of this backend, read from the resource files beside this class: they are its specification. */
final class SqlFile {
    static final String ENQUEUE = read("enqueue.sql");
    static final String SETTLE_EXPIRED = read("settle_expired.sql");
    static final String CLAIM_IMMEDIATE = read("claim_immediate.sql");
    static final String CLAIM_CANDIDATES = read("claim_candidates.sql");
    static final String EXPIRED_LEASES = read("expired_leases.sql");
    static final String CLAIM_OPTIMISTIC = read("claim_optimistic.sql");
    static final String CLAIMABLE = read("claimable.sql");
    static final String COMPLETE = read("complete.sql");
    static final String FAIL = read("fail.sql");
    static final String EXTEND_LEASE = read("extend_lease.sql");
    static final String STATS = read("stats.sql");
    static final String DEAD_LETTERS = read("dead_letters.sql");
    static final String REQUEUE_DEAD = read("requeue_dead.sql");
    static final List<String> PURGE = ResourceText.statements(read("purge.sql"));
    static final List<String> SCHEMA = ResourceText.statements(read("schema.sql"));

    private SqlFile() {}

    /** The whole file as one statement. */
    static String read(String name) {
        return ResourceText.read(SqlFile.class, name);
    }
}
