package dev.queuebench.redis;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.ServerUrl;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The validated, immutable configuration of one Redis backend. {@link #toString()} never shows the password.
 *
 * @param password {@code null} when the URL carries none
 * @param username {@code null} when the URL carries none (Redis' {@code default} user)
 * @param sentinels      {@code host:port} of every sentinel of a {@code redis-sentinel://} URL (host and port are the
 *                       first one's); empty for a server or cluster URL
 * @param sentinelMaster the master name the sentinels monitor (the URL's fragment), or {@code null}
 * @param waitReplicas   replicas that must acknowledge each write ({@code WAIT}) before a call returns; 0: none
 */
record RedisConfig(
        String host,
        int port,
        boolean tls,
        String username,
        String password,
        int database,
        String prefix,
        boolean cluster,
        String clientName,
        Duration connectTimeout,
        Duration commandTimeout,
        Duration pollInterval,
        String strategy,
        Backoff backoff,
        List<String> sentinels,
        String sentinelMaster,
        int waitReplicas,
        Duration waitTimeout) {

    static final String URL_FORM = "redis://[user:password@]host:port[/db] (rediss:// for TLS), or"
            + " redis-sentinel://[user:password@]host:port[,host:port...][/db]#master";

    static final ConfigKey<String> URL = ConfigKey.text("url", URL_FORM, "redis://localhost:6379");
    /** A prefix has no ':' so that '{prefix:' starts only its own keys (queue names have none either). */
    static final ConfigKey<String> PREFIX = ConfigKey.matching("prefix", "first part of every key: {prefix:queue}:...",
            "qb", Pattern.compile("[A-Za-z0-9_.-]{1,64}"), "1 to 64 of A-Z a-z 0-9 _ . -");
    static final ConfigKey<Boolean> CLUSTER =
            ConfigKey.bool("cluster", "true to talk to a Redis Cluster (url names any node)", false);
    static final ConfigKey<String> CLIENT_NAME = ConfigKey.matching("clientName",
            "CLIENT SETNAME of every connection", "queuebench", Pattern.compile("[A-Za-z0-9_.:-]{1,64}"),
            "1 to 64 of A-Z a-z 0-9 _ . : -");
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connectTimeout",
            "longest wait to connect", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(1));
    static final ConfigKey<Duration> COMMAND_TIMEOUT = ConfigKey.duration("commandTimeout",
            "longest wait for one command's answer", Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofMinutes(10));
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("pollInterval",
            "longest sleep of a waiting claim between looks (enqueues wake it sooner)", Duration.ofSeconds(1),
            Duration.ofMillis(10), Duration.ofMinutes(1));
    static final ConfigKey<String> STRATEGY = QueueBackends.strategyKey(RedisBackendProvider.STRATEGIES);
    static final ConfigKey<Integer> WAIT_REPLICAS = ConfigKey.integer("waitReplicas",
            "replicas that must acknowledge each write (WAIT) before enqueue, claim, complete, fail or extend"
                    + " returns; fewer within waitTimeout fails the call; 0: return once the primary has it",
            0, 0, 100);
    static final ConfigKey<Duration> WAIT_TIMEOUT = ConfigKey.duration("waitTimeout",
            "longest WAIT for waitReplicas replicas", Duration.ofSeconds(1), Duration.ofMillis(10),
            Duration.ofMinutes(1));

    /** Every key {@link #from} reads: the provider's declaration. */
    static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(URL, PREFIX, CLUSTER, CLIENT_NAME,
            CONNECT_TIMEOUT, COMMAND_TIMEOUT, POLL_INTERVAL, STRATEGY, WAIT_REPLICAS, WAIT_TIMEOUT),
            Backoff.KEYS.stream()).toList();
    private static final ServerUrl.Form SERVER_FORM =
            new ServerUrl.Form("a Redis URL", List.of("redis", "rediss"), 6379, URL_FORM);
    private static final ServerUrl.Form SENTINEL_FORM =
            new ServerUrl.Form("a Redis URL", List.of("redis-sentinel", "rediss-sentinel"), 26379, URL_FORM);
    private static final Pattern SENTINEL_SCHEME = Pattern.compile("(?i)^rediss?-sentinel://");
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Reads and checks every key; a bad value raises {@link ConfigurationException} naming the key and the form. */
    static RedisConfig from(BackendConfig config) {
        String raw = config.get(URL);
        if (SENTINEL_SCHEME.matcher(raw).find()) {
            return fromSentinelUrl(raw, config);
        }
        ServerUrl url = ServerUrl.parse(raw, SERVER_FORM);
        ServerUrl.Server server = url.onlyServer(raw, SERVER_FORM,
                "it names one node (of a Redis Cluster, any one; several sentinels need redis-sentinel://)");
        if (!url.parameters().isEmpty() || url.fragment() != null) {
            throw ServerUrl.invalid(raw, SERVER_FORM, "it takes no query or fragment; use the keys "
                    + CONNECT_TIMEOUT.name() + " and " + COMMAND_TIMEOUT.name() + " for timeouts");
        }
        int database = database(raw, url, SERVER_FORM);
        boolean cluster = config.get(CLUSTER);
        if (cluster && database != 0) {
            throw new ConfigurationException(
                    "'" + URL.name() + "' selects database " + database + ", but Redis Cluster has only database 0");
        }
        if (cluster && config.get(WAIT_REPLICAS) > 0) {
            throw new ConfigurationException("'" + WAIT_REPLICAS.name() + "' is for a primary with replicas (a server"
                    + " or redis-sentinel:// URL): on a Redis Cluster the backend cannot send WAIT to each key's node");
        }
        return withKeys(config, server, url.scheme().equals("rediss"), username(raw, url, SERVER_FORM), url.password(),
                database, cluster, List.of(), null);
    }

    /**
     * A {@code redis-sentinel://} URL, as Lettuce writes it: the sentinels to ask (port 26379 when none is given), the
     * master name after '#', and the credentials and database of the data nodes (the sentinels take none).
     */
    private static RedisConfig fromSentinelUrl(String raw, BackendConfig config) {
        ServerUrl url = ServerUrl.parse(raw, SENTINEL_FORM);
        if (url.fragment() == null || !MASTER_NAME.matcher(url.fragment()).matches()) {
            throw ServerUrl.invalid(raw, SENTINEL_FORM,
                    "a sentinel URL ends with #<master name> (1 to 64 of A-Z a-z 0-9 _ . -)");
        }
        if (!url.parameters().isEmpty()) {
            throw ServerUrl.invalid(raw, SENTINEL_FORM, "it takes no query; use the keys " + CONNECT_TIMEOUT.name()
                    + " and " + COMMAND_TIMEOUT.name() + " for timeouts");
        }
        if (config.get(CLUSTER)) {
            throw new ConfigurationException("'" + URL.name() + "' names sentinels, which watch a primary and its"
                    + " replicas, not a Redis Cluster: set '" + CLUSTER.name() + "' to false");
        }
        ServerUrl.Server first = url.servers().getFirst();
        return withKeys(config, first, url.scheme().startsWith("rediss"), username(raw, url, SENTINEL_FORM),
                url.password(), database(raw, url, SENTINEL_FORM), false,
                url.servers().stream().map(ServerUrl.Server::toString).toList(), url.fragment());
    }

    /** The configuration of what the URL gave (server, credentials, database, sentinels) and every other key. */
    private static RedisConfig withKeys(BackendConfig config, ServerUrl.Server server, boolean tls, String username,
            String password, int database, boolean cluster, List<String> sentinels, String sentinelMaster) {
        return new RedisConfig(
                server.host(),
                server.port(),
                tls,
                username,
                password,
                database,
                config.get(PREFIX),
                cluster,
                config.get(CLIENT_NAME),
                config.get(CONNECT_TIMEOUT),
                config.get(COMMAND_TIMEOUT),
                config.get(POLL_INTERVAL),
                config.get(STRATEGY),
                Backoff.from(config),
                sentinels,
                sentinelMaster,
                config.get(WAIT_REPLICAS),
                config.get(WAIT_TIMEOUT));
    }

    /** True when the URL names sentinels that tell where the primary is. */
    boolean sentinel() {
        return sentinelMaster != null;
    }

    /** {@code host:port}, or the master name and every sentinel, for messages. */
    String address() {
        return sentinel() ? "master '" + sentinelMaster + "' of sentinels " + String.join(",", sentinels)
                : host + ":" + port;
    }

    /** The URL with the password masked: safe for logs, errors and reports. */
    String redactedUrl() {
        String auth = password == null ? "" : (username == null ? "" : username) + ":****@";
        if (sentinel()) {
            return (tls ? "rediss" : "redis") + "-sentinel://" + auth + String.join(",", sentinels) + "/" + database
                    + "#" + sentinelMaster;
        }
        return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + redactedUrl() + ", prefix=" + prefix + ", cluster=" + cluster + ", clientName="
                + clientName + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", pollInterval=" + pollInterval + ", strategy=" + strategy + ", backoff=" + backoff
                + ", waitReplicas=" + waitReplicas + ", waitTimeout=" + waitTimeout + "]";
    }

    /** The user name, {@code null} for Redis' default user; user-info without a colon is refused. */
    private static String username(String raw, ServerUrl url, ServerUrl.Form form) {
        if (url.user() != null && url.password() == null) {
            throw ServerUrl.invalid(raw, form, "write the password after a colon (" + url.scheme()
                    + "://:password@host or " + url.scheme() + "://user:password@host)");
        }
        return url.user() == null || url.user().isEmpty() ? null : url.user();
    }

    /** The database the URL's path selects, 0 when it has none. */
    private static int database(String raw, ServerUrl url, ServerUrl.Form form) {
        if (url.path().isEmpty() || url.path().equals("/")) {
            return 0;
        }
        String digits = url.path().substring(1);
        if (!digits.matches("\\d{1,5}")) {
            throw ServerUrl.invalid(raw, form, "the path must be a database number from 0 to 99999");
        }
        return Integer.parseInt(digits);
    }
}
