package dev.queuebench.nats;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.ServerUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The nats backend's configuration, parsed and validated from a {@link BackendConfig}: an immutable value whose
 * {@link #toString()} never shows the password.
 *
 * @param user     {@code null} when neither the URL nor {@code user} names one
 * @param password {@code null} when neither the URL nor {@code password} carries one
 * @param prefix   first part of every stream and subject name, so that several users share one server
 * @param moreServers {@code host:port} of the further servers of a cluster the URL lists after the first
 * @param replicas copies of each stream the server(s) keep (JetStream's R)
 */
record NatsConfig(
        String host,
        int port,
        String user,
        String password,
        String prefix,
        String strategy,
        Duration ackWait,
        Duration pollInterval,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxDeliver,
        int maxAckPending,
        Backoff backoff,
        List<String> moreServers,
        int replicas) {

    static final ConfigKey<String> URL = ConfigKey.text("url", "server: nats://user:password@host:port; a cluster's"
            + " servers separated by commas (nats://user:password@host1:port,nats://host2:port,...)",
            "nats://127.0.0.1:4222");
    private static final ServerUrl.Form FORM = new ServerUrl.Form("a NATS URL", List.of("nats"), 4222,
            "nats://host:port or nats://user:password@host:port");
    static final ConfigKey<String> PREFIX = ConfigKey.matching("prefix",
            "first part of every stream name (<prefix>_<queue>) and subject (<prefix>.<queue>.jobs)", "qb",
            Pattern.compile("[A-Za-z0-9-]{1,32}"), "1 to 32 of A-Z a-z 0-9 -");
    static final ConfigKey<Duration> ACK_WAIT = ConfigKey.duration("ackWait",
            "the consumer's AckWait: how long the server keeps a job for a backend that stopped answering (crashed,"
                    + " paused, cut off) before it redelivers it; a live backend ends or keeps leases itself",
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1));
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("pollInterval",
            "longest a waiting claim goes without moving delayed jobs that came due (enqueues wake it at once)",
            Duration.ofMillis(250), Duration.ofMillis(10), Duration.ofMinutes(1));
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connectTimeout",
            "how long to try to reach the server before failing", Duration.ofSeconds(5), Duration.ofMillis(250),
            Duration.ofMinutes(1));
    static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.duration("requestTimeout",
            "how long one JetStream API call, publish or acknowledgement waits for the server's answer",
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5));
    static final ConfigKey<Integer> MAX_DELIVER = ConfigKey.integer("maxDeliver",
            "the consumer's MaxDeliver: deliveries of one job before the server gives up on it; a job may ask for at"
                    + " most maxDeliver - 1 attempts (the last delivery finds an expired last attempt)",
            100, 2, 1_000_000);
    static final ConfigKey<Integer> MAX_ACK_PENDING = ConfigKey.integer("maxAckPending",
            "the consumer's MaxAckPending: leased jobs (and retries waiting for their backoff) per queue at once",
            20_000, 1, 1_000_000);
    static final ConfigKey<Integer> REPLICAS = ConfigKey.integer("replicas",
            "copies of each stream the cluster keeps (JetStream R; 3 needs a cluster of 3 or more servers): a publish"
                    + " is acknowledged once a majority of them stored it; applies to streams the backend creates",
            1, 1, 5);

    /** Every key {@link #from} reads, for the provider's declaration. */
    static List<ConfigKey<?>> keys(List<String> strategies) {
        return Stream.concat(Stream.of(URL, ServerUrl.USER, ServerUrl.PASSWORD, PREFIX, ACK_WAIT, POLL_INTERVAL,
                CONNECT_TIMEOUT, REQUEST_TIMEOUT, MAX_DELIVER, MAX_ACK_PENDING, REPLICAS,
                QueueBackends.strategyKey(strategies)), Backoff.KEYS.stream()).toList();
    }

    /** Parses and validates every key; a bad value throws {@link ConfigurationException} naming the key. */
    static NatsConfig from(BackendConfig config, List<String> strategies) {
        String[] listed = config.get(URL).split(",", -1);
        String raw = listed[0].trim();
        ServerUrl url = ServerUrl.parse(raw, FORM);
        ServerUrl.Server first = url.servers().getFirst();
        List<String> moreServers = new ArrayList<>();
        for (int i = 1; i < listed.length; i++) {
            moreServers.add(moreServer(config.get(URL), listed[i].trim()));
        }
        return new NatsConfig(
                first.host(),
                first.port(),
                config.given(ServerUrl.USER).orElse(url.user()),
                config.given(ServerUrl.PASSWORD).orElse(url.password()),
                config.get(PREFIX),
                config.get(QueueBackends.strategyKey(strategies)),
                config.get(ACK_WAIT),
                config.get(POLL_INTERVAL),
                config.get(CONNECT_TIMEOUT),
                config.get(REQUEST_TIMEOUT),
                config.get(MAX_DELIVER),
                config.get(MAX_ACK_PENDING),
                Backoff.from(config),
                List.copyOf(moreServers),
                config.get(REPLICAS));
    }

    /** {@code host:port} of a further server of the URL's list: nats://host[:port], its credentials the first's. */
    private static String moreServer(String given, String server) {
        try {
            ServerUrl url = ServerUrl.parse(server, FORM);
            if (url.user() == null) {
                return url.servers().getFirst().toString();
            }
        } catch (ConfigurationException e) {
            // reported below, with the whole list
        }
        throw ServerUrl.invalid(given, FORM,
                "each further server of a list is nats://host:port (credentials go on the first only)");
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    /** The server URLs without credentials, the first one first, for the client's options. */
    String[] serverUrls() {
        return Stream.concat(Stream.of(address()), moreServers.stream()).map(s -> "nats://" + s).toArray(String[]::new);
    }

    /** The URL with the password masked: safe for messages and reports. */
    String redactedUrl() {
        return new ServerUrl("nats", user, password, List.of(new ServerUrl.Server(host, port)), "", Map.of(), null)
                .redacted() + moreServers.stream().map(s -> ",nats://" + s).collect(Collectors.joining());
    }

    @Override
    public String toString() {
        return "NatsConfig[url=" + redactedUrl() + ", prefix=" + prefix + ", strategy=" + strategy + ", ackWait="
                + ackWait + ", pollInterval=" + pollInterval + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", maxDeliver=" + maxDeliver + ", maxAckPending="
                + maxAckPending + ", replicas=" + replicas + ", backoff=" + backoff + "]";
    }
}
