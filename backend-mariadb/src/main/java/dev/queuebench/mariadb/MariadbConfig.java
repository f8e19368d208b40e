package dev.queuebench.mariadb;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.ServerUrl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mariadb backend's configuration, parsed and validated from a {@link BackendConfig}: an immutable value whose
 * {@link #toString()} never shows the password.
 *
 * @param password   {@code null} when the URL carries none
 * @param parameters further Connector/J options from the URL's query string, e.g. {@code sslMode}
 * @param table      the jobs table; its schema version lives in {@code <table>_version}
 */
record MariadbConfig(
        String host,
        int port,
        String database,
        String user,
        String password,
        Map<String, String> parameters,
        String table,
        String strategy,
        int poolSize,
        Duration pollInterval,
        Duration connectTimeout,
        int lockWaitTimeoutSeconds,
        Backoff backoff) {

    private static final ServerUrl.Form FORM = new ServerUrl.Form("a MariaDB URL", List.of("mariadb", "mysql"), 3306,
            "mariadb://user:password@host:port/database?option=value (or mysql://, jdbc:mariadb://, jdbc:mysql://)");

    static final ConfigKey<String> URL = ConfigKey.text("url", "server: " + FORM.usage(),
            "mariadb://root@localhost:3306/test");
    /** Lower-case SQL identifiers, short enough to leave room for the version table's suffix. */
    static final ConfigKey<String> TABLE = ConfigKey.matching("table",
            "the jobs table (and <table>_version beside it) in the URL's database; created on open",
            "queuebench_jobs", Pattern.compile("[a-z_][a-z0-9_]{0,47}"),
            "1 to 48 of a-z 0-9 _ (not starting with a digit)");
    static final ConfigKey<Integer> POOL_SIZE = ConfigKey.integer("poolSize", "connections in the pool", 10, 1, 200);
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("pollInterval",
            "longest sleep of a waiting claim between looks: how late it sees a job enqueued by another process"
                    + " (an enqueue through the same backend wakes it at once)",
            Duration.ofMillis(250), Duration.ofMillis(10), Duration.ofHours(1));
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connectTimeout",
            "how long to try to reach the server before failing", Duration.ofSeconds(5), Duration.ofMillis(250),
            Duration.ofMinutes(1));
    static final ConfigKey<Integer> LOCK_WAIT_TIMEOUT = ConfigKey.integer("lockWaitTimeout",
            "seconds a statement waits for a row lock before failing with error 1205 (innodb_lock_wait_timeout of"
                    + " the backend's sessions)", 5, 1, 3600);

    /** Every key {@link #from} reads, for the provider's declaration. */
    static List<ConfigKey<?>> keys(List<String> strategies) {
        return Stream.concat(Stream.of(URL, TABLE, POOL_SIZE, POLL_INTERVAL, CONNECT_TIMEOUT, LOCK_WAIT_TIMEOUT,
                QueueBackends.strategyKey(strategies)), Backoff.KEYS.stream()).toList();
    }

    MariadbConfig {
        parameters = Map.copyOf(parameters);
    }

    /** Parses and validates every key; a bad value throws {@link ConfigurationException} naming the key. */
    static MariadbConfig from(BackendConfig config, List<String> strategies) {
        String raw = config.get(URL);
        ServerUrl url = ServerUrl.parse(raw.startsWith("jdbc:") ? raw.substring("jdbc:".length()) : raw, FORM);
        ServerUrl.Server server = url.onlyServer(raw, FORM, "it must name one host");
        Map<String, String> parameters = new TreeMap<>(url.parameters());
        String user = parameters.containsKey("user") ? parameters.remove("user") : url.user();
        String password = parameters.containsKey("password") ? parameters.remove("password") : url.password();
        String database = url.path().startsWith("/") ? url.path().substring(1) : url.path();
        if (database.contains("/")) {
            throw ServerUrl.invalid(raw, FORM, "the path names one database");
        }
        return new MariadbConfig(
                server.host(),
                server.port(),
                database.isEmpty() ? "test" : database,
                user == null ? "root" : user,
                password,
                parameters,
                config.get(TABLE),
                config.get(QueueBackends.strategyKey(strategies)),
                config.get(POOL_SIZE),
                config.get(POLL_INTERVAL),
                config.get(CONNECT_TIMEOUT),
                config.get(LOCK_WAIT_TIMEOUT),
                Backoff.from(config));
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    /** The table holding the installed schema version. */
    String versionTable() {
        return table + "_version";
    }

    /** The URL with the password masked: safe for messages and reports. */
    String redactedUrl() {
        return new ServerUrl("mariadb", user, password, List.of(new ServerUrl.Server(host, port)), "/" + database,
                parameters, null).redacted();
    }

    @Override
    public String toString() {
        return "MariadbConfig[url=" + redactedUrl() + ", table=" + table + ", strategy=" + strategy + ", poolSize="
                + poolSize + ", pollInterval=" + pollInterval + ", connectTimeout=" + connectTimeout
                + ", lockWaitTimeout=" + lockWaitTimeoutSeconds + "s, backoff=" + backoff + "]";
    }
}
