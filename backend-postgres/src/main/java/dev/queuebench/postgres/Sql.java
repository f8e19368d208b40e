package dev.queuebench.postgres;

import dev.queuebench.api.ResourceText;

/**
 * The backend's SQL, read once from the {@code .sql} resources beside this class: they are the specification of
 * what each operation does. The texts are constant, so pgjdbc reuses one server-side prepared statement per text
 * and connection.
 */
final class Sql {
    static final String SCHEMA = load("schema.sql");
    static final String ENQUEUE = load("enqueue.sql");
    static final String ENQUEUE_ALL = load("enqueue_all.sql");
    static final String CLAIM_SKIP_LOCKED = load("claim_skip_locked.sql");
    static final String CLAIM_CANDIDATES = load("claim_candidates.sql");
    static final String CLAIM_OPTIMISTIC = load("claim_optimistic.sql");
    static final String NEXT_DUE = load("next_due.sql");
    static final String COMPLETE = load("complete.sql");
    static final String COMPLETE_ALL = load("complete_all.sql");
    static final String FAIL = load("fail.sql");
    static final String EXTEND_LEASE = load("extend_lease.sql");
    static final String REAP_EXPIRED = load("reap_expired.sql");
    static final String STATS = load("stats.sql");
    static final String DEAD_LETTERS = load("dead_letters.sql");
    static final String REQUEUE_DEAD = load("requeue_dead.sql");
    static final String PURGE = load("purge.sql");
    static final String FOOTPRINT = load("footprint.sql");
    static final String SERVER_INFO = load("server_info.sql");
    static final String VACUUM_DUE = load("vacuum_due.sql");
    static final String VACUUM = load("vacuum.sql");
    static final String SERVER_PIDS = load("server_pids.sql");

    private Sql() {}

    private static String load(String name) {
        return ResourceText.read(Sql.class, name);
    }
}
