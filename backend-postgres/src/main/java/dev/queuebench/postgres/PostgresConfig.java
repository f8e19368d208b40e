package dev.queuebench.postgres;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.ServerUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.postgresql.Driver;

/**
 * The postgres backend's configuration, parsed and validated from a {@link BackendConfig}: an immutable value whose
 * {@link #toString()} never shows the password.
 *
 * @param servers    every host and port the URL names, in its order: one server, or the nodes of a replicated cluster
 *                   (pgjdbc tries them in turn; {@code targetServerType=primary} makes it pick the primary)
 * @param parameters further pgjdbc connection properties from the URL's query string, e.g. {@code sslmode}
 */
record PostgresConfig(
        List<ServerUrl.Server> servers,
        String database,
        String user,
        String password,
        Map<String, String> parameters,
        String schema,
        String strategy,
        int poolSize,
        boolean notifyOnEnqueue,
        Duration pollInterval,
        Duration connectTimeout,
        AsyncCommit asyncCommit,
        String vacuum,
        Backoff backoff) {

    static final String VACUUM_AUTO = "auto";
    static final String VACUUM_ALWAYS = "always";
    static final String VACUUM_NEVER = "never";

    private static final ServerUrl.Form FORM = new ServerUrl.Form("a PostgreSQL URL", List.of("postgresql", "postgres"),
            5432, "postgresql://user:password@host:port/database?param=value or jdbc:postgresql://host:port/database"
            + "?user=... (several hosts: jdbc:postgresql://h1:p1,h2:p2/database?user=...&targetServerType=primary)");

    static final ConfigKey<String> URL = ConfigKey.text("url", "server: " + FORM.usage(),
            "postgresql://postgres@localhost:5432/test");
    /** Lower-case SQL identifiers, short enough to leave room for the notification channel's prefix. */
    static final ConfigKey<String> SCHEMA = ConfigKey.matching("schema",
            "schema holding the jobs table; created on open", "queuebench", Pattern.compile("[a-z_][a-z0-9_]{0,47}"),
            "1 to 48 of a-z 0-9 _ (not starting with a digit)");
    static final ConfigKey<Integer> POOL_SIZE = ConfigKey.integer("poolSize", "connections in the pool", 10, 1, 200);
    static final ConfigKey<Boolean> NOTIFY =
            ConfigKey.bool("notify", "wake waiting claims by LISTEN/NOTIFY on enqueue (else they poll)", true);
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("pollInterval",
            "longest sleep of a waiting claim between looks: what a lost notification costs", Duration.ofSeconds(1),
            Duration.ofMillis(10), Duration.ofHours(1));
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connectTimeout",
            "how long to try to reach the server before failing", Duration.ofSeconds(5), Duration.ofMillis(250),
            Duration.ofMinutes(1));
    static final ConfigKey<String> ASYNC_COMMIT = ConfigKey.oneOf("asyncCommit", "operations that commit without"
            + " waiting for their WAL flush: none, completions or claims+completions (enqueues always wait; what a"
            + " server crash then loses is delivered again)", AsyncCommit.words(), AsyncCommit.COMPLETIONS.word);
    static final ConfigKey<String> VACUUM = ConfigKey.oneOf("vacuum", "vacuum the jobs table from the backend when"
            + " its dead tuples pile up: auto (only if the server's autovacuum is off), always, never",
            List.of(VACUUM_AUTO, VACUUM_ALWAYS, VACUUM_NEVER), VACUUM_AUTO);

    /** Every key {@link #from} reads, for the provider's declaration. */
    static List<ConfigKey<?>> keys(List<String> strategies) {
        return Stream.concat(Stream.of(URL, SCHEMA, POOL_SIZE, NOTIFY, POLL_INTERVAL, CONNECT_TIMEOUT, ASYNC_COMMIT,
                VACUUM, QueueBackends.strategyKey(strategies)), Backoff.KEYS.stream()).toList();
    }

    PostgresConfig {
        servers = List.copyOf(servers);
        parameters = Map.copyOf(parameters);
    }

    /** Parses and validates every key; a bad value throws {@link ConfigurationException} naming the key. */
    static PostgresConfig from(BackendConfig config, List<String> strategies) {
        Properties url = parseUrl(config.get(URL));
        String[] hosts = url.getProperty("PGHOST", "localhost").split(",", -1);
        String[] ports = url.getProperty("PGPORT", "5432").split(",", -1);
        if (hosts.length != ports.length) {
            throw new ConfigurationException("'" + URL.name() + "' names " + hosts.length + " host(s) and "
                    + ports.length + " port(s)");
        }
        List<ServerUrl.Server> servers = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            int port;
            try {
                port = Integer.parseInt(ports[i]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new ConfigurationException("'" + URL.name() + "' has port '" + ports[i]
                        + "'; a port is 1 to 65535");
            }
            if (hosts[i].isEmpty()) {
                throw new ConfigurationException("'" + URL.name() + "' names an empty host");
            }
            servers.add(new ServerUrl.Server(hosts[i], port));
        }
        String database = url.getProperty("PGDBNAME", "");
        String user = url.getProperty("user", "postgres");
        String password = url.getProperty("password");
        Map<String, String> parameters = new TreeMap<>();
        for (String name : url.stringPropertyNames()) {
            if (!List.of("PGHOST", "PGPORT", "PGDBNAME", "user", "password").contains(name)) {
                parameters.put(name, url.getProperty(name));
            }
        }
        return new PostgresConfig(
                servers,
                database.isEmpty() ? "test" : database,
                user,
                password,
                parameters,
                config.get(SCHEMA),
                config.get(QueueBackends.strategyKey(strategies)),
                config.get(POOL_SIZE),
                config.get(NOTIFY),
                config.get(POLL_INTERVAL),
                config.get(CONNECT_TIMEOUT),
                AsyncCommit.of(config.get(ASYNC_COMMIT)),
                config.get(VACUUM),
                Backoff.from(config));
    }

    /**
     * Which acknowledged operations commit without waiting for their WAL flush. Enqueues always wait: an
     * acknowledged job survives a crash. A completion lost in a server crash means the job runs again once its lease
     * expires; a claim lost in one means the job is claimable again at once, while its first worker may still run it
     * (that worker's complete then answers false). Both are at-least-once delivery, as the contract allows.
     */
    enum AsyncCommit {
        NONE("none"),
        COMPLETIONS("completions"),
        CLAIMS_AND_COMPLETIONS("claims+completions");

        final String word;

        AsyncCommit(String word) {
            this.word = word;
        }

        static List<String> words() {
            return Arrays.stream(values()).map(v -> v.word).toList();
        }

        static AsyncCommit of(String word) {
            return values()[words().indexOf(word)];
        }

        /** The synchronous_commit value for a claim's transaction. */
        String forClaims() {
            return this == CLAIMS_AND_COMPLETIONS ? "off" : "on";
        }

        /** The synchronous_commit value for a completion's transaction. */
        String forCompletions() {
            return this == NONE ? "on" : "off";
        }
    }

    /** {@code host:port}, comma-separated when the URL names several, for messages. */
    String address() {
        return String.join(",", servers.stream().map(ServerUrl.Server::toString).toList());
    }

    /** The channel LISTEN/NOTIFY uses for this schema's queues; the payload is the queue name. */
    String channel() {
        return "queuebench_" + schema;
    }

    /** The URL with the password masked: safe for messages and reports. */
    String redactedUrl() {
        return new ServerUrl("postgresql", user, password, servers, "/" + database, parameters, null).redacted();
    }

    @Override
    public String toString() {
        return "PostgresConfig[url=" + redactedUrl() + ", schema=" + schema + ", strategy=" + strategy + ", poolSize="
                + poolSize + ", notify=" + notifyOnEnqueue + ", pollInterval=" + pollInterval + ", connectTimeout="
                + connectTimeout + ", asyncCommit=" + asyncCommit.word + ", vacuum=" + vacuum
                + ", backoff=" + backoff + "]";
    }

    /**
     * Both URL forms as pgjdbc connection properties ({@code PGHOST}, {@code PGPORT}, {@code PGDBNAME}, {@code user},
     * {@code password} and the query parameters). A {@code postgresql://} URL's user and password come from its
     * user-info part, percent-decoded; {@code user} and {@code password} parameters win over them, as in pgjdbc.
     */
    private static Properties parseUrl(String raw) {
        if (raw.startsWith("jdbc:postgresql:")) {
            Properties parsed = Driver.parseURL(raw, new Properties());
            if (parsed == null) {
                throw ServerUrl.invalid(raw, FORM, "the PostgreSQL driver cannot read it");
            }
            return parsed;
        }
        ServerUrl url = ServerUrl.parse(raw, FORM);
        ServerUrl.Server server = url.onlyServer(raw, FORM,
                "several hosts need the form jdbc:postgresql://h1:p1,h2:p2/database?user=...");
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        url.parameters().forEach(properties::setProperty);
        properties.setProperty("PGHOST", server.host());
        properties.setProperty("PGPORT", Integer.toString(server.port()));
        properties.setProperty("PGDBNAME", url.path().startsWith("/") ? url.path().substring(1) : url.path());
        return properties;
    }
}
