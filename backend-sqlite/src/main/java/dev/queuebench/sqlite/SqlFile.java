package dev.queuebench.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The SQL of this backend, read from the resource files beside this class: they are its specification. */
final class SqlFile {
    static final String ENQUEUE = read("enqueue.sql");
    static final String SETTLE_EXPIRED = read("settle-expired.sql");
    static final String CLAIM_IMMEDIATE = read("claim-immediate.sql");
    static final String CLAIM_CANDIDATES = read("claim-candidates.sql");
    static final String EXPIRED_LEASES = read("expired-leases.sql");
    static final String CLAIM_OPTIMISTIC = read("claim-optimistic.sql");
    static final String CLAIMABLE = read("claimable.sql");
    static final String COMPLETE = read("complete.sql");
    static final String FAIL = read("fail.sql");
    static final String EXTEND_LEASE = read("extend-lease.sql");
    static final String STATS = read("stats.sql");
    static final String DEAD_LETTERS = read("dead-letters.sql");
    static final String REQUEUE_DEAD = read("requeue-dead.sql");
    static final List<String> PURGE = statements("purge.sql");
    static final List<String> SCHEMA = statements("schema.sql");

    private SqlFile() {}

    /** The whole file as one statement. */
    static String read(String name) {
        try (InputStream in = SqlFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("SQL resource " + name + " is missing from the backend's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL resource " + name, e);
        }
    }

    /** The file's statements, split where a line ends with {@code ;}, without those holding only comments. */
    static List<String> statements(String name) {
        return Arrays.stream(read(name).split(";[ \\t]*(\\r?\\n|$)"))
                .filter(sql -> sql.lines().anyMatch(line -> !line.isBlank() && !line.strip().startsWith("--")))
                .toList();
    }
}
