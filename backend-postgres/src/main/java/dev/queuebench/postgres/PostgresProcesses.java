package dev.queuebench.postgres;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ServerProcesses;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL processes doing a backend's work: the sessions of its connections (by their application_name,
 * {@code queuebench/<schema>}) and the postmaster's auxiliary processes (checkpointer, WAL writer, background writer,
 * autovacuum), which every client of the cluster shares.
 */
public final class PostgresProcesses implements ServerProcesses {
    @Override
    public String backend() {
        return PostgresBackendProvider.NAME;
    }

    @Override
    public Pids serverPids(BackendConfig config) {
        PostgresConfig postgres = PostgresConfig.from(config, new PostgresBackendProvider().strategies());
        List<Long> pids = new ArrayList<>();
        try (Connection c = PostgresQueueBackend.dataSource(postgres).getConnection();
                PreparedStatement ps = c.prepareStatement(Sql.SERVER_PIDS)) {
            ps.setString(1, PostgresQueueBackend.applicationName(postgres));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new BackendUnavailableException("cannot list the server processes: " + e.getMessage(), e);
        }
        return new Pids(pids, "postgres", "the sessions of this backend's connections and the auxiliary processes"
                + " (shared with every client of the cluster)");
    }
}
