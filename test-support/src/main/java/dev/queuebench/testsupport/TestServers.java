package dev.queuebench.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds a server for backend tests, in this order: a URL in the environment ({@code QUEUEBENCH_POSTGRES_URL},
 * {@code QUEUEBENCH_REDIS_URL}, {@code QUEUEBENCH_MARIADB_URL}, {@code QUEUEBENCH_NATS_URL},
 * {@code QUEUEBENCH_RABBITMQ_URL}), a server on the default local port, a Testcontainers container when Docker is
 * available. Otherwise the calling test is skipped with a reason that says how to provide one, or fails when
 * {@code QUEUEBENCH_REQUIRE_SERVERS=true}. Containers are started once per JVM and stopped when it exits.
 */
public final class TestServers {
    public static final String REQUIRE_SERVERS = "QUEUEBENCH_REQUIRE_SERVERS";

    private TestServers() {}

    /** A {@code postgresql://} URL for the {@code postgres} backend's {@code url} key. */
    public static String postgresUrl() {
        return find("PostgreSQL", "QUEUEBENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test",
                Containers::postgres);
    }

    /** A {@code redis://} URL for the {@code redis} backend's {@code url} key. */
    public static String redisUrl() {
        return find("Redis", "QUEUEBENCH_REDIS_URL", "redis://127.0.0.1:6379", Containers::redis);
    }

    /** A {@code mariadb://} URL for the {@code mariadb} backend's {@code url} key; its user may create databases. */
    public static String mariadbUrl() {
        return find("MariaDB", "QUEUEBENCH_MARIADB_URL", "mariadb://root@127.0.0.1:3306/test", Containers::mariadb);
    }

    /** A {@code nats://} URL of a server with JetStream for the {@code nats} backend's {@code url} key. */
    public static String natsUrl() {
        return find("NATS", "QUEUEBENCH_NATS_URL", "nats://127.0.0.1:4222", Containers::nats);
    }

    /** An {@code amqp://} URL of a RabbitMQ broker for the {@code rabbitmq} backend's {@code url} key. */
    public static String rabbitmqUrl() {
        return find("RabbitMQ", "QUEUEBENCH_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/",
                Containers::rabbitmq);
    }

    /** True when {@code QUEUEBENCH_REQUIRE_SERVERS=true}: a missing server fails instead of skipping. */
    public static boolean serversRequired() {
        return Boolean.parseBoolean(System.getenv(REQUIRE_SERVERS));
    }

    private static String find(String server, String envVar, String localDefault, Supplier<String> container) {
        String explicit = System.getenv(envVar);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        if (listening(URI.create(localDefault))) {
            return localDefault;
        }
        Optional<String> started = dockerAvailable() ? Optional.of(container.get()) : Optional.empty();
        if (started.isPresent()) {
            return started.get();
        }
        String reason = "no " + server + " for this test: set " + envVar + ", start one on "
                + URI.create(localDefault).getHost() + ":" + URI.create(localDefault).getPort()
                + ", or make Docker available for Testcontainers";
        if (serversRequired()) {
            throw new IllegalStateException(reason + " (" + REQUIRE_SERVERS + "=true, so this fails)");
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    private static boolean listening(URI uri) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Holders started lazily, once per JVM. */
    private static final class Containers {
        private static String postgresUrl;
        private static String redisUrl;
        private static String mariadbUrl;
        private static String natsUrl;
        private static String rabbitmqUrl;

        static synchronized String postgres() {
            if (postgresUrl == null) {
                var pg = new PostgreSQLContainer("postgres:16-alpine").withUsername("postgres").withPassword("postgres")
                        .withDatabaseName("test");
                pg.start();
                postgresUrl = "postgresql://postgres:postgres@" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/test";
            }
            return postgresUrl;
        }

        static synchronized String redis() {
            if (redisUrl == null) {
                GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
                redis.start();
                redisUrl = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
            }
            return redisUrl;
        }

        static synchronized String mariadb() {
            if (mariadbUrl == null) {
                var mariadb = new MariaDBContainer("mariadb:10.11").withUsername("root").withPassword("test")
                        .withDatabaseName("test");
                mariadb.start();
                mariadbUrl = "mariadb://root:test@" + mariadb.getHost() + ":" + mariadb.getMappedPort(3306) + "/test";
            }
            return mariadbUrl;
        }

        static synchronized String nats() {
            if (natsUrl == null) {
                GenericContainer<?> nats = new GenericContainer<>("nats:2.10-alpine").withCommand("-js")
                        .withExposedPorts(4222);
                nats.start();
                natsUrl = "nats://" + nats.getHost() + ":" + nats.getMappedPort(4222);
            }
            return natsUrl;
        }

        static synchronized String rabbitmq() {
            if (rabbitmqUrl == null) {
                // guest may only log in over loopback, which a mapped port is not: a user of its own
                GenericContainer<?> rabbitmq = new GenericContainer<>("rabbitmq:3.13-alpine")
                        .withEnv("RABBITMQ_DEFAULT_USER", "queuebench").withEnv("RABBITMQ_DEFAULT_PASS", "queuebench")
                        .withExposedPorts(5672);
                rabbitmq.start();
                rabbitmqUrl = "amqp://queuebench:queuebench@" + rabbitmq.getHost() + ":" + rabbitmq.getMappedPort(5672)
                        + "/";
            }
            return rabbitmqUrl;
        }
    }
}
