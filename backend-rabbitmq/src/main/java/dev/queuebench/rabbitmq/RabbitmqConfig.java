package dev.queuebench.rabbitmq;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.ServerUrl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rabbitmq backend's configuration, parsed and validated from a {@link BackendConfig}: an immutable value whose
 * {@link #toString()} never shows the password.
 *
 * @param servers every node the URL lists, in its order (a cluster's nodes: the client connects to one of them)
 * @param vhost   the virtual host, {@code /} when the URL names none
 * @param prefix  first part of every AMQP queue name, so that several users share one broker
 */
record RabbitmqConfig(
        List<ServerUrl.Server> servers,
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

    static final ConfigKey<String> URL = ConfigKey.text("url", "broker: amqp://user:password@host:port/vhost, or a"
            + " cluster's nodes: amqp://user:password@host1:port1,host2:port2,host3:port3/vhost",
            "amqp://guest:guest@127.0.0.1:5672/");
    private static final ServerUrl.Form FORM = new ServerUrl.Form("an AMQP URL", List.of("amqp"), 5672,
            "amqp://host:port/vhost, amqp://user:password@host:port/vhost or amqp://user:password@host1:port1,"
                    + "host2:port2/vhost");
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
        return Stream.concat(Stream.of(URL, ServerUrl.USER, ServerUrl.PASSWORD, PREFIX, POLL_INTERVAL,
                CONNECT_TIMEOUT, REQUEST_TIMEOUT, CHANNELS, LOST_LEASE_HOLD, QueueBackends.strategyKey(strategies)),
                Backoff.KEYS.stream()).toList();
    }

    /** Parses and validates every key; a bad value throws {@link ConfigurationException} naming the key. */
    static RabbitmqConfig from(BackendConfig config, List<String> strategies) {
        String raw = config.get(URL);
        ServerUrl url = ServerUrl.parse(raw, FORM);
        String vhost = url.path().isEmpty() || url.path().equals("/") ? "/" : url.path().substring(1);
        return new RabbitmqConfig(
                url.servers(),
                vhost,
                config.given(ServerUrl.USER).orElse(url.user() == null ? "guest" : url.user()),
                config.given(ServerUrl.PASSWORD).orElse(url.user() == null ? "guest" : url.password()),
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

    RabbitmqConfig {
        servers = List.copyOf(servers);
    }

    /** The first node's host. */
    String host() {
        return servers.getFirst().host();
    }

    /** The first node's AMQP port. */
    int port() {
        return servers.getFirst().port();
    }

    /** The URL with the password masked: safe for messages and reports. */
    String redactedUrl() {
        return new ServerUrl("amqp", user, password, servers,
                vhost.equals("/") ? "/" : "/" + vhost, Map.of(), null).redacted();
    }

    @Override
    public String toString() {
        return "RabbitmqConfig[url=" + redactedUrl() + ", prefix=" + prefix + ", strategy=" + strategy
                + ", pollInterval=" + pollInterval + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + ", channels=" + channels + ", lostLeaseHold=" + lostLeaseHold
                + ", backoff=" + backoff + "]";
    }
}
