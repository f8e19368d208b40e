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
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The validated, immutable configuration of one Redis backend. {@link #toString()} never shows the password.
 *
 * @param password {@code null} when the URL carries none
 * @param username {@code null} when the URL carries none (Redis' {@code default} user)
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
        Backoff backoff) {

    static final String URL_FORM = "redis://[user:password@]host:port[/db] (rediss:// for TLS)";

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

    /** Every key {@link #from} reads: the provider's declaration. */
    static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(URL, PREFIX, CLUSTER, CLIENT_NAME,
            CONNECT_TIMEOUT, COMMAND_TIMEOUT, POLL_INTERVAL, STRATEGY), Backoff.KEYS.stream()).toList();
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/]*)@");

    /** Reads and checks every key; a bad value raises {@link ConfigurationException} naming the key and the form. */
    static RedisConfig from(BackendConfig config) {
        String url = config.get(URL);
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
                Backoff.from(config));
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    /** The URL with the password masked: safe for logs, errors and reports. */
    String redactedUrl() {
        String auth = password == null ? "" : (username == null ? "" : username) + ":****@";
        return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + redactedUrl() + ", prefix=" + prefix + ", cluster=" + cluster + ", clientName="
                + clientName + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", pollInterval=" + pollInterval + ", strategy=" + strategy + ", backoff=" + backoff + "]";
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
