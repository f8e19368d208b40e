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

    static final String URL = "url";
    static final String PREFIX = "prefix";
    static final String CLUSTER = "cluster";
    static final String CLIENT_NAME = "clientName";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String COMMAND_TIMEOUT = "commandTimeout";
    static final String POLL_INTERVAL = "pollInterval";

    static final String DEFAULT_URL = "redis://localhost:6379";
    static final String URL_FORM = "redis://[user:password@]host:port[/db] (rediss:// for TLS)";

    /** A prefix has no ':' so that '{prefix:' starts only its own keys (queue names have none either). */
    private static final Pattern PREFIX_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern CLIENT_NAME_VALUE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/]*)@");

    /** Reads and checks every key; a bad value raises {@link ConfigurationException} naming the key and the form. */
    static RedisConfig from(BackendConfig config) {
        String url = config.string(URL, DEFAULT_URL);
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw badUrl(url, "the scheme must be redis or rediss");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw badUrl(url, "it names no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw badUrl(url, "it takes no query or fragment; use the keys " + CONNECT_TIMEOUT + " and "
                    + COMMAND_TIMEOUT + " for timeouts");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            if (colon < 0) {
                throw badUrl(url, "write the password after a colon (redis://:password@host or redis://user:password@host)");
            }
            username = colon == 0 ? null : decode(info.substring(0, colon));
            password = decode(info.substring(colon + 1));
        }
        int database = database(url, uri.getPath());
        boolean cluster = config.bool(CLUSTER, false);
        if (cluster && database != 0) {
            throw new ConfigurationException(
                    "'" + URL + "' selects database " + database + ", but Redis Cluster has only database 0");
        }
        String prefix = name(config, PREFIX, "qb", PREFIX_NAME, "A-Z a-z 0-9 _ . -");
        String clientName = name(config, CLIENT_NAME, "queuebench", CLIENT_NAME_VALUE, "A-Z a-z 0-9 _ . : -");
        return new RedisConfig(
                uri.getHost(),
                uri.getPort() < 0 ? 6379 : uri.getPort(),
                scheme.equals("rediss"),
                username,
                password,
                database,
                prefix,
                cluster,
                clientName,
                config.duration(CONNECT_TIMEOUT, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(1)),
                config.duration(COMMAND_TIMEOUT, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10)),
                config.duration(POLL_INTERVAL, Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(1)),
                config.oneOf(QueueBackends.STRATEGY_KEY, RedisBackendProvider.STRATEGIES, RedisBackendProvider.STRATEGIES.get(0)),
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

    private static String name(BackendConfig config, String key, String defaultValue, Pattern rule, String allowed) {
        String value = config.string(key, defaultValue);
        if (!rule.matcher(value).matches()) {
            throw new ConfigurationException("'" + key + "' must be 1 to 64 of " + allowed + ", was '" + value + "'");
        }
        return value;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ConfigurationException badUrl(String url, String why) {
        return new ConfigurationException("'" + URL + "' must look like " + URL_FORM + ": " + why + ", was '"
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

    /** The keys {@link #from} reads, for the provider's declaration. */
    static List<ConfigKey> keys() {
        return List.of(
                new ConfigKey(URL, URL_FORM, DEFAULT_URL),
                new ConfigKey(PREFIX, "first part of every key: {prefix:queue}:...", "qb"),
                new ConfigKey(CLUSTER, "true to talk to a Redis Cluster (url names any node)", "false"),
                new ConfigKey(CLIENT_NAME, "CLIENT SETNAME of every connection", "queuebench"),
                new ConfigKey(CONNECT_TIMEOUT, "longest wait to connect", "2s"),
                new ConfigKey(COMMAND_TIMEOUT, "longest wait for one command's answer", "5s"),
                new ConfigKey(POLL_INTERVAL,
                        "longest sleep of a waiting claim between looks (enqueues wake it sooner)", "1s"));
    }
}
