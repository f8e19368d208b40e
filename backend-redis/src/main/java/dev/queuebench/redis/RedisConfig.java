package dev.queuebench.redis;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/]*)@");
    private static final Pattern SENTINEL_SCHEME = Pattern.compile("(?i)^(rediss?)-sentinel://");
    private static final Pattern SENTINEL_ADDRESS = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?");
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int SENTINEL_PORT = 26379;

    /** Reads and checks every key; a bad value raises {@link ConfigurationException} naming the key and the form. */
    static RedisConfig from(BackendConfig config) {
        String url = config.get(URL);
        if (SENTINEL_SCHEME.matcher(url).find()) {
            return fromSentinelUrl(url, config);
        }
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw badUrl(url, "the scheme must be redis or rediss");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw badUrl(url, "it names no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw badUrl(url, "it takes no query or fragment; use the keys " + CONNECT_TIMEOUT.name() + " and "
                    + COMMAND_TIMEOUT.name() + " for timeouts");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            if (colon < 0) {
                throw badUrl(url,
                        "write the password after a colon (redis://:password@host or redis://user:password@host)");
            }
            username = colon == 0 ? null : decode(info.substring(0, colon));
            password = decode(info.substring(colon + 1));
        }
        int database = database(url, uri.getPath());
        boolean cluster = config.get(CLUSTER);
        if (cluster && database != 0) {
            throw new ConfigurationException(
                    "'" + URL.name() + "' selects database " + database + ", but Redis Cluster has only database 0");
        }
        if (cluster && config.get(WAIT_REPLICAS) > 0) {
            throw new ConfigurationException("'" + WAIT_REPLICAS.name() + "' is for a primary with replicas (a server"
                    + " or redis-sentinel:// URL): on a Redis Cluster the backend cannot send WAIT to each key's node");
        }
        return new RedisConfig(
                uri.getHost(),
                uri.getPort() < 0 ? 6379 : uri.getPort(),
                scheme.equals("rediss"),
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
                List.of(),
                null,
                config.get(WAIT_REPLICAS),
                config.get(WAIT_TIMEOUT));
    }

    /**
     * A {@code redis-sentinel://} URL, as Lettuce writes it: the sentinels to ask (port 26379 when none is given), the
     * master name after '#', and the credentials and database of the data nodes (the sentinels take none).
     */
    private static RedisConfig fromSentinelUrl(String url, BackendConfig config) {
        var scheme = SENTINEL_SCHEME.matcher(url);
        scheme.find();
        String rest = url.substring(scheme.end());
        int hash = rest.indexOf('#');
        if (hash < 0 || !MASTER_NAME.matcher(rest.substring(hash + 1)).matches()) {
            throw badUrl(url, "a sentinel URL ends with #<master name> (1 to 64 of A-Z a-z 0-9 _ . -)");
        }
        String master = rest.substring(hash + 1);
        rest = rest.substring(0, hash);
        if (rest.contains("?")) {
            throw badUrl(url, "it takes no query; use the keys " + CONNECT_TIMEOUT.name() + " and "
                    + COMMAND_TIMEOUT.name() + " for timeouts");
        }
        String username = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            int colon = info.indexOf(':');
            if (colon < 0) {
                throw badUrl(url, "write the password after a colon (redis-sentinel://:password@host:port#master)");
            }
            username = colon == 0 ? null : decode(info.substring(0, colon));
            password = decode(info.substring(colon + 1));
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        int database = database(url, slash < 0 ? "" : rest.substring(slash));
        List<String> sentinels = new ArrayList<>();
        for (String address : (slash < 0 ? rest : rest.substring(0, slash)).split(",", -1)) {
            if (!SENTINEL_ADDRESS.matcher(address).matches()) {
                throw badUrl(url, "each sentinel is host or host:port, separated by commas");
            }
            int colon = address.indexOf(':');
            int port = colon < 0 ? SENTINEL_PORT : Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw badUrl(url, "a port is 1 to 65535");
            }
            sentinels.add((colon < 0 ? address : address.substring(0, colon)) + ":" + port);
        }
        if (config.get(CLUSTER)) {
            throw new ConfigurationException("'" + URL.name() + "' names sentinels, which watch a primary and its"
                    + " replicas, not a Redis Cluster: set '" + CLUSTER.name() + "' to false");
        }
        String first = sentinels.getFirst();
        return new RedisConfig(
                first.substring(0, first.lastIndexOf(':')),
                Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)),
                scheme.group(1).equalsIgnoreCase("rediss"),
                username,
                password,
                database,
                config.get(PREFIX),
                false,
                config.get(CLIENT_NAME),
                config.get(CONNECT_TIMEOUT),
                config.get(COMMAND_TIMEOUT),
                config.get(POLL_INTERVAL),
                config.get(STRATEGY),
                Backoff.from(config),
                List.copyOf(sentinels),
                master,
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

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw badUrl(url, "it is not a URL (percent-encode special characters of the password)");
        }
    }

    private static int database(String url, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String digits = path.substring(1);
        if (!digits.matches("\\d{1,5}")) {
            throw badUrl(url, "the path must be a database number from 0 to 99999");
        }
        return Integer.parseInt(digits);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ConfigurationException badUrl(String url, String why) {
        return new ConfigurationException("'" + URL.name() + "' must look like " + URL_FORM + ": " + why + ", was '"
                + hideUserInfo(url) + "'");
    }

    /** Masks whatever stands before '@' after the scheme, keeping a user name written before a colon. */
    private static String hideUserInfo(String url) {
        var m = USER_INFO.matcher(url);
        if (!m.find()) {
            return url;
        }
        String info = m.group(2);
        int colon = info.indexOf(':');
        String shown = colon < 0 ? "****" : info.substring(0, colon) + ":****";
        return m.group(1) + shown + "@" + url.substring(m.end());
    }
}
