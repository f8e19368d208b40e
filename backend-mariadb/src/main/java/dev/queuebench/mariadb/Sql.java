package dev.queuebench.mariadb;

import dev.queuebench.api.ResourceText;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The backend's SQL, read once from the {@code .sql} resources beside this class: they are the specification of
 * what each operation does. Their comment lines are left out of the statements sent. The texts name the tables
 * {@code `jobs`} and {@code `jobs_version`}; {@link #forTable} gives them for the configured table, and
 * {@link #repeated} expands the row a batch statement marks with {@code /*each*}{@code /}.
 */
record Sql(
        String schema,
        String installLock,
        String installUnlock,
        String installedVersion,
        String setVersion,
        String enqueue,
        String claimSkipLocked,
        String claimCandidates,
        String claimOptimistic,
        String complete,
        String completeAll,
        String fail,
        String extendLease,
        String reapExpired,
        String stats,
        String deadLetters,
        String requeueDead,
        String purge,
        String footprint,
        String serverInfo) {

    private static final String EACH = "/*each*/";
    private static final Sql RESOURCES = new Sql(load("schema.sql"), load("install_lock.sql"),
            load("install_unlock.sql"), load("installed_version.sql"), load("set_version.sql"), load("enqueue.sql"),
            load("claim_skip_locked.sql"), load("claim_candidates.sql"), load("claim_optimistic.sql"),
            load("complete.sql"), load("complete_all.sql"), load("fail.sql"),
            load("extend_lease.sql"), load("reap_expired.sql"), load("stats.sql"), load("dead_letters.sql"),
            load("requeue_dead.sql"), load("purge.sql"), load("footprint.sql"), load("server_info.sql"));

    /** The version of {@code schema.sql}, from its first line. */
    static final int SCHEMA_VERSION = versionOf(text("schema.sql"));

    /**
     * Every statement with {@code `jobs`} and {@code `jobs_version`} naming {@code table} and its version table;
     * {@code table} is a checked identifier ({@link MariadbConfig#TABLE}), so quoting it in backticks is enough.
     */
    static Sql forTable(String table) {
        Sql r = RESOURCES;
        return new Sql(named(r.schema, table), r.installLock, r.installUnlock, named(r.installedVersion, table),
                named(r.setVersion, table), named(r.enqueue, table), named(r.claimSkipLocked, table),
                named(r.claimCandidates, table), named(r.claimOptimistic, table),
                named(r.complete, table), named(r.completeAll, table), named(r.fail, table),
                named(r.extendLease, table), named(r.reapExpired, table), named(r.stats, table),
                named(r.deadLetters, table), named(r.requeueDead, table), named(r.purge, table),
                r.footprint, r.serverInfo);
    }

    /** {@code statement} with the parenthesised group after {@code /*each*}{@code /} written {@code times} times. */
    static String repeated(String statement, int times) {
        int marker = statement.indexOf(EACH);
        int open = statement.indexOf('(', marker);
        if (marker < 0 || open < 0) {
            throw new IllegalArgumentException("statement has no /*each*/ (...) group");
        }
        int depth = 0;
        int close = open;
        do {
            char c = statement.charAt(close++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        } while (depth > 0);
        String group = statement.substring(open, close);
        return statement.substring(0, marker) + String.join(", ", Collections.nCopies(times, group))
                + statement.substring(close);
    }

    /** The statements of a script such as {@code schema.sql}. */
    static List<String> statements(String script) {
        return ResourceText.statements(script);
    }

    private static String named(String sql, String table) {
        return sql.replace("`jobs_version`", "`" + table + "_version`").replace("`jobs`", "`" + table + "`");
    }

    /** The resource's statement(s) without their comment lines. */
    private static String load(String name) {
        return text(name).lines().filter(line -> !line.strip().startsWith("--")).collect(Collectors.joining("\n"));
    }

    private static String text(String name) {
        return ResourceText.read(Sql.class, name);
    }

    private static int versionOf(String sql) {
        Matcher m = Pattern.compile("version: (\\d+)").matcher(sql);
        if (!m.find()) {
            throw new IllegalStateException("schema.sql does not state its version");
        }
        return Integer.parseInt(m.group(1));
    }
}
