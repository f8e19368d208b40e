import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceilings the MariaDB backend's drain rates are held against: how fast a plain JDBC loop, with 4 threads,
 * claims and deletes rows of a bare InnoDB table the way MariaDB 10.11 allows, one row and 50 rows at a time. Each
 * claim is one READ COMMITTED transaction: SELECT id ... ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED, DELETE ...
 * WHERE id IN (those), COMMIT (a one-statement DELETE over a SKIP LOCKED pick scans the whole table in 10.11). A
 * transaction InnoDB rolls back as a deadlock victim is tried again, as the backend does, and counted.
 *
 * <p>Run by claim-ceiling.sh. Arguments: JDBC URL of the server (no database), rows, seconds per run, repetitions.
 * Works in a database of its own, qb_ceiling, dropped at the end.
 */
public final class ClaimCeiling {
    private static final int THREADS = 4;

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "jdbc:mariadb://127.0.0.1:3306/?user=root";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String url = server.replaceFirst("/(\\?|$)", "/qb_ceiling$1");
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS qb_ceiling");
        }
        try {
            for (int batch : new int[] {1, 50}) {
                List<Double> rates = new ArrayList<>();
                for (int r = 0; r < repetitions; r++) {
                    fill(url, rows);
                    AtomicLong deadlocks = new AtomicLong();
                    rates.add(drain(url, batch, seconds, deadlocks));
                    System.out.printf("%2d-row claim+delete, run %d: %8.0f rows/s (%d deadlocks retried)%n", batch,
                            r + 1, rates.getLast(), deadlocks.get());
                }
                Collections.sort(rates);
                System.out.printf("%2d-row claim+delete, median of %d: %8.0f rows/s (%d threads, %d s runs, %d rows)%n",
                        batch, repetitions, rates.get(rates.size() / 2), THREADS, seconds, rows);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS qb_ceiling");
            }
        }
    }

    private static void fill(String url, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY) ENGINE = InnoDB");
            s.execute("INSERT INTO t SELECT seq FROM seq_1_to_" + rows);
        }
    }

    /** Rows claimed and deleted per second by {@link #THREADS} threads over {@code seconds}, after a 1 s warm-up. */
    private static double drain(String url, int batch, int seconds, AtomicLong deadlocks) throws Exception {
        AtomicLong deleted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(THREADS);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    claimAndDelete(url, batch, deleted, stop, deadlocks);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    finished.countDown();
                }
            });
        }
        Thread.sleep(1_000);
        long before = deleted.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        long after = deleted.get();
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        finished.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a claimer failed", failures.getFirst());
        }
        if (after == before) {
            throw new IllegalStateException("nothing was claimed: the table ran empty or the server stalled");
        }
        return (after - before) / (elapsed / 1e9);
    }

    private static void claimAndDelete(String url, int batch, AtomicLong deleted, AtomicBoolean stop,
            AtomicLong deadlocks) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            String ids = String.join(", ", Collections.nCopies(batch, "?"));
            try (PreparedStatement claim = c.prepareStatement(
                            "SELECT id FROM t ORDER BY id LIMIT " + batch + " FOR UPDATE SKIP LOCKED");
                    PreparedStatement delete = c.prepareStatement("DELETE FROM t WHERE id IN (" + ids + ")")) {
                while (!stop.get()) {
                    int n = 0;
                    try {
                        try (ResultSet rs = claim.executeQuery()) {
                            while (rs.next()) {
                                delete.setLong(++n, rs.getLong(1));
                            }
                        }
                        if (n < batch) {
                            throw new IllegalStateException("the table ran out of rows: give more rows");
                        }
                        delete.executeUpdate();
                        c.commit();
                        deleted.addAndGet(n);
                    } catch (SQLTransactionRollbackException e) {
                        c.rollback();
                        deadlocks.incrementAndGet();
                    }
                }
            }
        }
    }
}
