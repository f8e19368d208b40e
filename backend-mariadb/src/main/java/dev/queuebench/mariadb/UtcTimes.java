package dev.queuebench.mariadb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The jobs table keeps times as DATETIME(6) in UTC (UTC_TIMESTAMP(6)); these convert them to and from Instants. */
final class UtcTimes {
    private UtcTimes() {}

    /** The instant a DATETIME column holds. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /** The DATETIME value for an instant, truncated to microseconds as the column stores it. */
    static LocalDateTime datetime(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
