package dev.queuebench.mariadb;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ServerProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The MariaDB server process, read from its pid file ({@code @@pid_file}): one process, a thread per connection,
 * serves every client. No pid when the file is not on this host.
 */
public final class MariadbProcesses implements ServerProcesses {
    @Override
    public String backend() {
        return MariadbBackendProvider.NAME;
    }

    @Override
    public Pids serverPids(BackendConfig config) {
        MariadbConfig mariadb = MariadbConfig.from(config, new MariadbBackendProvider().strategies());
        String pidFile;
        try (Connection c = MariadbQueueBackend.dataSource(mariadb).getConnection();
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@pid_file")) {
            pidFile = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new BackendUnavailableException("cannot ask for the server's pid file: " + e.getMessage(), e);
        }
        List<Long> pids;
        try {
            pids = pidFile == null || !Files.isReadable(Path.of(pidFile)) ? List.of()
                    : List.of(Long.parseLong(Files.readString(Path.of(pidFile)).trim()));
        } catch (IOException | NumberFormatException e) {
            pids = List.of();
        }
        return Pids.wholeServer(pids, "mariadbd");
    }
}
