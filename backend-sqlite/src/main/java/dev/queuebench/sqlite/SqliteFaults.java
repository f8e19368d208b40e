package dev.queuebench.sqlite;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/**
 * The chaos suite's hold on SQLite: no server, but a database file that a writer process killed mid-transaction
 * may leave with a hot journal; the suite reopens the backend on the same file and drains it.
 */
public final class SqliteFaults implements BackendFaults {
    @Override
    public String backend() {
        return SqliteBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** SQLite is a file in this process: there is no server to start. */
    @Override
    public ThrowawayServer startServer() {
        throw new UnsupportedOperationException("the sqlite backend has no server");
    }

    @Override
    public boolean hasServer() {
        return false;
    }

    @Override
    public boolean hasWriterCrash() {
        return true;
    }
}
