package dev.queuebench.sqlite;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConfig.JournalMode;
import org.sqlite.SQLiteConfig.SynchronousMode;

/**
 * The backend's connections to its SQLite file: a fixed set of writers and of readers, each lent to one thread at a
 * time through a blocking queue. A write is one autocommit statement or one explicit {@code BEGIN IMMEDIATE} ...
 * {@code COMMIT}, after which the connection is back in autocommit: an idle connection never holds the write lock.
 *
 * <p>Every connection has a busy handler instead of {@code busy_timeout}: it retries a lock for up to
 * {@code busyTimeout} like {@code busy_timeout} does, and also counts each lock it met in
 * {@code queuebench.lock.errors}, so retried lock errors are visible too.
 */
final class Connections implements AutoCloseable {
    /**
     * The WAL file is cut back to this size whenever it restarts ({@code journal_size_limit}). SQLite's automatic
     * PASSIVE checkpoint (every 1000 pages, after a commit) copies the WAL into the database without waiting for
     * anyone; once it has copied everything, a write that finds no reader inside the WAL restarts it from its start,
     * and this limit truncates the file. That keeps the WAL near this size unless readers are always inside it.
     */
    static final long JOURNAL_SIZE_LIMIT_BYTES = 16L << 20;
    /**
     * When readers never leave the WAL (e.g. a stats poller), no write finds a moment to restart it. Past this size a
     * write therefore ends with a TRUNCATE checkpoint, which waits up to {@link #CHECKPOINT_PATIENCE} for the readers
     * already inside to finish (new readers do not block it) and empties the WAL; if they do not, the next check
     * tries again.
     */
    static final long CHECKPOINT_ABOVE_BYTES = 2 * JOURNAL_SIZE_LIMIT_BYTES;
    private static final Duration CHECKPOINT_PATIENCE = Duration.ofMillis(100);
    /** Writes between two looks at the WAL's size (a stat call). */
    private static final int WAL_CHECK_EVERY = 16;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    /** Work done with one lent connection. */
    interface Work<T> {
        T run(Session session) throws SQLException;
    }

    private final SqliteConfig config;
    private final QueueMetrics metrics;
    private final Path wal;
    private final List<Session> opened = new ArrayList<>();
    private final BlockingQueue<Session> writers = new LinkedBlockingQueue<>();
    private final BlockingQueue<Session> readers = new LinkedBlockingQueue<>();
    private final AtomicLong writes = new AtomicLong();
    private volatile boolean closed;

    /** Opens every connection with its pragmas and creates the schema once; fails fast naming the path. */
    Connections(SqliteConfig config, QueueMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.wal = config.path().resolveSibling(config.path().getFileName() + "-wal");
        try {
            for (int i = 0; i < config.writerConnections(); i++) {
                Session writer = open();
                if (i == 0) {
                    Schema.ensure(writer, config.path());
                }
                writers.add(writer);
            }
            for (int i = 0; i < config.readerConnections(); i++) {
                readers.add(open());
            }
        } catch (SQLException e) {
            close();
            throw new BackendUnavailableException("'" + SqliteConfig.PATH + "': cannot open the SQLite database "
                    + config.path() + ": " + e.getMessage()
                    + "; it accepts a SQLite file (or a new one) in a folder this process can write", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code work} inside one {@code BEGIN IMMEDIATE} transaction: all of it is committed, or none. */
    <T> T inTransaction(String queue, Work<T> work) {
        return onWriter(queue, session -> {
            session.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run(session);
                session.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                session.rollbackQuietly();
                throw e;
            }
        });
    }

    /** Runs {@code work} on a writer in autocommit: each statement is its own atomic transaction. */
    <T> T onWriter(String queue, Work<T> work) {
        T result = lend(writers, queue, config.busyTimeout(), work);
        if (writes.incrementAndGet() % WAL_CHECK_EVERY == 0 && walBytes() > CHECKPOINT_ABOVE_BYTES) {
            truncateWal(queue);
        }
        return result;
    }

    /** A TRUNCATE checkpoint with little patience; when readers stay (or it fails) the next check tries again. */
    private void truncateWal(String queue) {
        try {
            lend(writers, queue, CHECKPOINT_PATIENCE, session -> {
                try (ResultSet rs = session.prepare("PRAGMA wal_checkpoint(TRUNCATE)").executeQuery()) {
                    return rs.next() && rs.getInt(1) == 0;
                }
            });
        } catch (QueueException e) {
            // the write before it has committed; failing it for a late checkpoint would be wrong
        }
    }

    /** Runs read-only {@code work} on a reader: it sees the last commit and never waits for writers. */
    <T> T onReader(String queue, Work<T> work) {
        return lend(readers, queue, config.busyTimeout(), work);
    }

    /** The size of the WAL file now, 0 when there is none. */
    long walBytes() {
        return wal.toFile().length();
    }

    private <T> T lend(BlockingQueue<Session> pool, String queue, Duration patience, Work<T> work) {
        Session session = borrow(pool);
        try {
            session.busyHandler.startOperation(queue, patience);
            return work.run(session);
        } catch (SQLException e) {
            throw failure(queue, session, e);
        } finally {
            pool.add(session);
        }
    }

    private Session borrow(BlockingQueue<Session> pool) {
        try {
            Session session;
            while ((session = pool.poll(50, TimeUnit.MILLISECONDS)) == null) {
                ensureOpen();
            }
            if (closed) {
                pool.add(session);
                ensureOpen();
            }
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while waiting for a connection to " + config.path(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new BackendClosedException(SqliteBackendProvider.NAME);
        }
    }

    /** The driver's exception wrapped for callers; a lock error is counted unless the busy handler already did. */
    private QueueException failure(String queue, Session session, SQLException e) {
        if (closed) {
            return new BackendClosedException(SqliteBackendProvider.NAME);
        }
        int primaryCode = e.getErrorCode() & 0xff;
        if (primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED) {
            if (session.busyHandler.gaveUp()) { // counted when the handler first met the lock
                return new QueueException("the SQLite database " + config.path() + " stayed locked by another "
                        + "connection or process for longer than busyTimeout (" + config.busyTimeout().toMillis()
                        + " ms); nothing was written. Raise '" + SqliteConfig.BUSY_TIMEOUT
                        + "' or shorten the other side's transactions", e);
            }
            metrics.lockError(queue); // e.g. SQLITE_BUSY_SNAPSHOT, which no busy handler sees
            return new QueueException("SQLite refused a lock on " + config.path() + " (" + e.getMessage()
                    + "); nothing was written", e);
        }
        return new QueueException("SQLite failed on " + config.path() + ": " + e.getMessage(), e);
    }

    private Session open() throws SQLException {
        SQLiteConfig pragmas = new SQLiteConfig();
        pragmas.setBusyTimeout((int) config.busyTimeout().toMillis()); // until the busy handler below replaces it
        pragmas.setJournalMode(JournalMode.WAL);
        pragmas.setSynchronous(SynchronousMode.valueOf(config.synchronous()));
        pragmas.setJournalSizeLimit((int) JOURNAL_SIZE_LIMIT_BYTES);
        Connection connection = pragmas.createConnection("jdbc:sqlite:" + config.path());
        Session session = new Session(connection, new CountingBusyHandler());
        synchronized (opened) {
            opened.add(session);
        }
        BusyHandler.setHandler(connection, session.busyHandler);
        return session;
    }

    /** Closes every connection, newest first, after giving those in use until busyTimeout to come back. */
    @Override
    public void close() {
        closed = true;
        List<Session> all;
        synchronized (opened) {
            all = new ArrayList<>(opened);
        }
        long deadline = System.nanoTime() + config.busyTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        List<Session> returned = new ArrayList<>();
        while (true) {
            writers.drainTo(returned);
            readers.drainTo(returned);
            if (returned.size() >= all.size() || System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        Collections.reverse(all);
        all.forEach(Session::closeQuietly);
    }

    /** One connection with its prepared statements, used by one thread at a time. */
    static final class Session {
        private final Connection connection;
        private final CountingBusyHandler busyHandler;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        private Session(Connection connection, CountingBusyHandler busyHandler) {
            this.connection = connection;
            this.busyHandler = busyHandler;
        }

        /** The statement for {@code sql}, prepared once per connection. */
        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        /** Runs a statement without parameters or results, e.g. {@code COMMIT}. */
        void execute(String sql) throws SQLException {
            prepare(sql).execute();
        }

        /** Runs a statement that is not worth keeping prepared, e.g. DDL. */
        void executeOnce(String sql) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        /** Undoes the open transaction, if any. */
        void rollbackQuietly() {
            try {
                execute("ROLLBACK");
            } catch (SQLException e) {
                // no transaction was open (BEGIN itself failed): nothing to undo
            }
        }

        private void closeQuietly() {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    // closing anyway
                }
            }
            try {
                connection.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }

    /**
     * Retries a locked database with short sleeps (50 µs doubling to 1.6 ms) for up to the operation's patience
     * (busyTimeout), counting each lock met once in {@code queuebench.lock.errors} under the operation's queue.
     */
    private final class CountingBusyHandler extends BusyHandler {
        private volatile String queue = "";
        private volatile long patienceNanos = config.busyTimeout().toNanos(); // also for the schema, before any lend
        private long waitingSince;
        private boolean gaveUp;

        void startOperation(String queue, Duration patience) {
            this.queue = queue;
            this.patienceNanos = patience.toNanos();
            this.gaveUp = false;
        }

        /** True when the last lock error reached the caller because this handler stopped retrying. */
        boolean gaveUp() {
            return gaveUp;
        }

        @Override
        protected int callback(int previousCalls) {
            if (previousCalls == 0) {
                metrics.lockError(queue);
                waitingSince = System.nanoTime();
            }
            if (closed || Thread.currentThread().isInterrupted()
                    || System.nanoTime() - waitingSince >= patienceNanos) {
                gaveUp = true;
                return 0;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50L << Math.min(previousCalls, 5)));
            return 1;
        }
    }
}
