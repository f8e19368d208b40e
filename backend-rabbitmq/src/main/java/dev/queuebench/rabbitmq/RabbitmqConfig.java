package dev.queuebench.rabbitmq;

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
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rabbitmq backend's configuration, parsed and validated from a {@link BackendConfig}: an immutable value whose
 * {@link #toString()} never shows the password.
 *
 * @param vhost  the virtual host, {@code /} when the URL names none
 * @param prefix first part of every AMQP queue name, so that several users share one broker
 */
record RabbitmqConfig(
        String host,
        int port,
        String vhost,
        String user,
        String password,
        String prefix,
        String strategy,
        Duration pollInterval,
        Duration connectTimeout,
        Duration requestTimeout,
        int channels,
        Duration lostLeaseHold,
        Backoff backoff) {

    static final ConfigKey<String> URL = ConfigKey.text("url", "broker: amqp://user:password@host:port/vhost",
            "amqp://guest:guest@127.0.0.1:5672/");
    static final ConfigKey<String> USER = ConfigKey.text("user", "user name (overrides the URL's)", null);
    static final ConfigKey<String> PASSWORD =
            ConfigKey.text("password", "password (overrides the URL's)", null).secret();
    static final ConfigKey<String> PREFIX = ConfigKey.matching("prefix",
            "first part of every AMQP queue name (<prefix>:<strategy>:<queue>, plus :delayed… and :dead)", "qb",
            Pattern.compile("[A-Za-z0-9_-]{1,32}"), "1 to 32 of A-Z a-z 0-9 _ -");
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("pollInterval",
            "how often a waiting claim asks the broker again (basic.get); enqueues in this process wake it at once",
            Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMinutes(1));
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connectTimeout",
            "how long to try to reach the broker before failing", Duration.ofSeconds(10), Duration.ofMillis(250),
            Duration.ofMinutes(1));
    static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.duration("requestTimeout",
            "how long one AMQP call or publisher confirm waits for the broker's answer", Duration.ofSeconds(10),
            Duration.ofMillis(100), Duration.ofMinutes(5));
    static final ConfigKey<Integer> CHANNELS = ConfigKey.integer("channels",
            "AMQP channels this backend spreads its calls over (each holds the leases claimed on it)", 4, 1, 64);

    static final ConfigKey<Duration> LOST_LEASE_HOLD = ConfigKey.duration("lostLeaseHold",
            "how long a job the broker gave back after its holder's connection was lost waits before it can be"
                    + " claimed again, so that the lost lease runs out first: at least the longest lease workers take",
            Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofHours(24));

    /** Every key {@link #from} reads, for the provider's declaration. */
    static List<ConfigKey<?>> keys(List<String> strategies) {
        return Stream.concat(Stream.of(URL, USER, PASSWORD, PREFIX, POLL_INTERVAL, CONNECT_TIMEOUT, REQUEST_TIMEOUT,
                CHANNELS, LOST_LEASE_HOLD, QueueBackends.strategyKey(strategies)), Backoff.KEYS.stream()).toList();
    }

    /** Parses and validates every key; a bad value throws {@link ConfigurationException} naming the key. */
    static RabbitmqConfig from(BackendConfig config, List<String> strategies) {
        String raw = config.get(URL);
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw badUrl(raw, "it is not a valid URI (percent-encode special characters in the password)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("amqp") || uri.getHost() == null) {
            throw badUrl(raw, "use amqp://host:port/vhost or amqp://user:password@host:port/vhost");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new ConfigurationException("'" + URL.name() + "' has port '" + uri.getPort()
                    + "'; a port is 1 to 65535");
        }
        String user = "guest";
        String password = "guest";
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            user = decode(userInfo[0]);
            password = userInfo.length == 2 ? decode(userInfo[1]) : null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String vhost = path.isEmpty() || path.equals("/") ? "/" : decode(path.substring(1));
        return new RabbitmqConfig(
                uri.getHost(),
                uri.getPort() == -1 ? 5672 : uri.getPort(),
                vhost,
                config.given(USER).orElse(user),
                config.given(PASSWORD).orElse(password),
                config.get(PREFIX),
                config.get(QueueBackends.strategyKey(strategies)),
                config.get(POLL_INTERVAL),
                config.get(CONNECT_TIMEOUT),
                config.get(REQUEST_TIMEOUT),
                config.get(CHANNELS),
                config.get(LOST_LEASE_HOLD),
                Backoff.from(config));
    }

    /** True for the quorum strategy: the work queue is a quorum queue. */
    boolean quorum() {
        return strategy.equals(RabbitmqBackendProvider.QUORUM);
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    /** The URL with the password masked: safe for messages and reports. */
    String redactedUrl() {
        String userInfo = user == null ? "" : user + (password == null ? "" : ":" + Secrets.MASK) + "@";
        return "amqp://" + userInfo + address() + (vhost.equals("/") ? "/" : "/" + vhost);
    }

    @Override
    public String toString() {
        return "RabbitmqConfig[url=" + redactedUrl() + ", prefix=" + prefix + ", strategy=" + strategy
                + ", pollInterval=" + pollInterval + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + ", channels=" + channels + ", lostLeaseHold=" + lostLeaseHold
                + ", backoff=" + backoff + "]";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** An error that shows the URL only with any password cut out, even from a URL too broken to parse. */
    private static ConfigurationException badUrl(String raw, String why) {
        int at = raw.lastIndexOf('@');
        int scheme = raw.indexOf("://");
        String shown = at > scheme && scheme >= 0 && raw.substring(scheme + 3, at).contains(":")
                ? raw.substring(0, raw.indexOf(':', scheme + 3)) + ":" + Secrets.MASK + raw.substring(at)
                : raw;
        return new ConfigurationException("'" + URL.name() + "' is not an AMQP URL: '" + Secrets.redact(shown)
                + "'; " + why);
    }
}
