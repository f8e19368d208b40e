package dev.queuebench.suite.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;

/**
 * The two ends of the lab's round-trip measurement: {@link #start} serves on the host (each byte received is sent
 * back at once); {@link #measure} runs in a namespace and times single-byte exchanges with it over TCP.
 */
public final class RoundTripEcho implements AutoCloseable {
    /** Exchanges timed; the shortest is the measured round trip. */
    static final int EXCHANGES = 20;

    private final ServerSocket server;

    private RoundTripEcho(ServerSocket server) {
        this.server = server;
    }

    /** Serves on {@code address} (port 0: a free one) until closed. */
    static RoundTripEcho start(InetSocketAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(address);
        RoundTripEcho echo = new RoundTripEcho(server);
        Thread.ofPlatform().daemon(true).name("qb-lab-echo-" + address).start(echo::accept);
        return echo;
    }

    /** Where it serves. */
    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                Thread.ofVirtual().start(() -> echo(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                out.write(b);
                out.flush();
            }
        } catch (IOException e) {
            // the measuring side went away
        }
    }

    /**
     * The shortest of {@link #EXCHANGES} single-byte TCP round trips to the echo at {@code address}, in microseconds
     * (the first exchange, which warms up the connection, not counted).
     */
    static long measure(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            long best = Long.MAX_VALUE;
            for (int i = 0; i <= EXCHANGES; i++) {
                long start = System.nanoTime();
                out.write(i);
                out.flush();
                if (in.read() < 0) {
                    throw new IOException("the echo at " + address + " closed the connection");
                }
                long took = System.nanoTime() - start;
                if (i > 0) {
                    best = Math.min(best, took);
                }
            }
            return best / 1_000;
        }
    }

    /**
     * Run in a namespace by {@link Lab#roundTrip} ({@code ip netns exec <ns> java ... RoundTripEcho HOST:PORT}):
     * prints {@link #measure} of the echo at {@code HOST:PORT} in microseconds; exits 1 with the reason on stderr.
     */
    public static void main(String[] args) {
        try {
            System.out.println(measure(NamespaceAgent.address(args[0])));
        } catch (IOException | RuntimeException e) {
            System.err.println("queuebench lab: cannot measure the round trip: " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code micros} as milliseconds with three decimals. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1e3);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
