package dev.queuebench.rabbitmq;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.QueueException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The backend's connection to the broker and its {@link Lane}s, made again on first use after a loss (no automatic
 * recovery: a recovered channel would silently drop acks of deliveries the broker already requeued).
 */
final class Link implements AutoCloseable {
    private static final int HEARTBEAT_SECONDS = 5;

    private final RabbitmqConfig config;
    private final ConnectionFactory factory;
    private final List<Address> addresses;
    private final AtomicReferenceArray<Lane> lanes;
    private final Object reconnect = new Object();
    private volatile Connection connection;
    private volatile boolean closed;

    private Link(RabbitmqConfig config) {
        this.config = config;
        this.factory = factory(config);
        this.addresses = config.servers().stream().map(s -> new Address(s.host(), s.port())).toList();
        this.lanes = new AtomicReferenceArray<>(config.channels());
    }

    /**
     * A connection factory for the configured broker (its first node; {@link #connection()} tries every node listed,
     * in an order shuffled for each connection, as the client library's automatic recovery does): timeouts from the
     * configuration, no automatic recovery.
     */
    static ConnectionFactory factory(RabbitmqConfig config) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setVirtualHost(config.vhost());
        factory.setUsername(config.user());
        if (config.password() != null) {
            factory.setPassword(config.password());
        }
        factory.setConnectionTimeout((int) config.connectTimeout().toMillis());
        factory.setHandshakeTimeout((int) config.connectTimeout().toMillis());
        factory.setChannelRpcTimeout((int) config.requestTimeout().toMillis());
        factory.setShutdownTimeout((int) config.requestTimeout().toMillis());
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        return factory;
    }

    /** Connects once; fails within about {@code connectTimeout} when the broker cannot be reached. */
    static Link open(RabbitmqConfig config) {
        Link link = new Link(config);
        link.connection();
        return link;
    }

    /** The connection's name as the broker lists it: {@code queuebench/<prefix>}. */
    String connectionName() {
        return "queuebench/" + config.prefix();
    }

    /** The open connection, made again when it was lost, to a listed node that answers (tried in random order). */
    Connection connection() {
        Connection current = connection;
        if (current != null && current.isOpen()) {
            return current;
        }
        synchronized (reconnect) {
            if (closed) {
                throw new BackendClosedException(RabbitmqBackendProvider.NAME);
            }
            current = connection;
            if (current != null && current.isOpen()) {
                return current;
            }
            try {
                List<Address> order = new ArrayList<>(addresses);
                Collections.shuffle(order); // spreads clients over a cluster's nodes, as automatic recovery does
                current = factory.newConnection(order, connectionName());
            } catch (IOException | TimeoutException | RuntimeException e) {
                throw RabbitmqErrors.unreachable(config, "connecting", e);
            }
            connection = current;
            return current;
        }
    }

    /** This thread's lane (threads are spread over {@code channels} lanes), opened again when it was closed. */
    Lane lane() {
        int index = (int) Math.floorMod(Thread.currentThread().threadId(), (long) lanes.length());
        Lane lane = lanes.get(index);
        if (lane != null && lane.isOpen()) {
            return lane;
        }
        synchronized (reconnect) {
            lane = lanes.get(index);
            if (lane != null && lane.isOpen()) {
                return lane;
            }
            try {
                Channel channel = connection().createChannel();
                channel.confirmSelect();
                lane = new Lane(channel);
            } catch (IOException | RuntimeException e) {
                throw failure(e, "opening a channel");
            }
            lanes.set(index, lane);
            return lane;
        }
    }

    /** Runs {@code call} on a channel of its own, closed afterwards: for declarations and admin calls. */
    <T> T admin(String doing, AdminCall<T> call) {
        Channel channel;
        try {
            channel = connection().createChannel();
        } catch (IOException | RuntimeException e) {
            throw failure(e, doing);
        }
        try {
            return call.call(channel);
        } catch (BackendUnavailableException | BackendClosedException e) {
            throw closed ? new BackendClosedException(RabbitmqBackendProvider.NAME) : e;
        } catch (Exception e) {
            throw failure(e, doing);
        } finally {
            closeQuietly(channel);
        }
    }

    /**
     * The exception for a call that failed while {@code doing} something: {@link BackendClosedException} once this
     * link is closed (its close ended the call's channel), else the failure translated.
     */
    private QueueException failure(Exception e, String doing) {
        return closed ? new BackendClosedException(RabbitmqBackendProvider.NAME) : RabbitmqErrors.translate(e, config,
                doing);
    }

    /** What the broker says about itself: product and version. */
    Map<String, Object> serverProperties() {
        return connection().getServerProperties();
    }

    /** Closes the connection: the broker requeues every delivery still unacknowledged. */
    @Override
    public void close() {
        synchronized (reconnect) {
            closed = true;
            Connection current = connection;
            if (current != null && current.isOpen()) {
                try {
                    current.close((int) config.requestTimeout().toMillis());
                } catch (IOException | RuntimeException e) {
                    current.abort();
                }
            }
        }
    }

    static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // the channel is gone either way
        }
    }

    @FunctionalInterface
    interface AdminCall<T> {
        T call(Channel channel) throws Exception;
    }
}
