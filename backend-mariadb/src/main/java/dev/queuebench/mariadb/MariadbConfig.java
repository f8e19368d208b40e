package dev.queuebench.mariadb;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

    private static final String URL_FORMS = "mariadb://user:password@host:port/database?option=value"
            + " (or mysql://, jdbc:mariadb://, jdbc:mysql://)";
    private static final List<String> SCHEMES = List.of("mariadb", "mysql");

    static final ConfigKey<String> URL = ConfigKey.text("url", "server: " + URL_FORMS,
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
        URI uri = parse(raw);
        String user = "root";
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            user = decode(userInfo[0]);
            password = userInfo.length == 2 ? decode(userInfo[1]) : null;
        }
        Map<String, String> parameters = new TreeMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String name = decode(kv[0]);
                String value = kv.length == 2 ? decode(kv[1]) : "";
                switch (name) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> parameters.put(name, value);
                }
            }
        }
        String path = uri.getRawPath() == null ? "" : decode(uri.getRawPath());
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.contains("/")) {
            throw badUrl(raw, "the path names one database");
        }
        return new MariadbConfig(
                uri.getHost(),
                uri.getPort() == -1 ? 3306 : uri.getPort(),
                database.isEmpty() ? "test" : database,
                user,
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
        return "mariadb://" + user + (password == null ? "" : ":" + Secrets.MASK) + "@" + address() + "/" + database
                + (parameters.isEmpty() ? "" : "?" + Secrets.redact(String.join("&",
                        parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
    }

    @Override
    public String toString() {
        return "MariadbConfig[url=" + redactedUrl() + ", table=" + table + ", strategy=" + strategy + ", poolSize="
                + poolSize + ", pollInterval=" + pollInterval + ", connectTimeout=" + connectTimeout
                + ", lockWaitTimeout=" + lockWaitTimeoutSeconds + "s, backoff=" + backoff + "]";
    }

    /** Every accepted form as a URI with scheme mariadb or mysql, a host, and a valid port. */
    private static URI parse(String raw) {
        String text = raw.startsWith("jdbc:") ? raw.substring("jdbc:".length()) : raw;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw badUrl(raw, "it is not a valid URI (percent-encode special characters in the password)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || uri.getRawAuthority() == null) {
            throw badUrl(raw, "use " + URL_FORMS);
        }
        if (uri.getHost() == null) {
            String authority = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
            throw badUrl(raw, authority.contains(",") ? "it must name one host" : "it names no host or a bad port");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new ConfigurationException("'" + URL.name() + "' has port '" + uri.getPort()
                    + "'; a port is 1 to 65535");
        }
        return uri;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** An error that shows the URL only with any password cut out, even from a URL too broken to parse. */
    private static ConfigurationException badUrl(String raw, String why) {
        int at = raw.lastIndexOf('@');
        int scheme = raw.indexOf("://");
        String shown = at > scheme && scheme >= 0 && raw.substring(scheme + 3, at).contains(":")
                ? raw.substring(0, raw.indexOf(':', scheme + 3)) + ":" + Secrets.MASK + raw.substring(at)
                : raw;
        return new ConfigurationException("'" + URL.name() + "' is not a MariaDB URL: '" + Secrets.redact(shown)
                + "'; " + why);
    }
}
