package dev.queuebench.suite.workers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's side of one connection to an {@link Agent}: it connects, measures the agent's clock offset
 * ({@link #PINGS} time exchanges, the one with the shortest round trip kept), sends the order (configuration
 * included, over this connection only) and then reads the worker's report from the socket.
 */
final class AgentLink implements WorkerLink {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final int PINGS = 8;

    private final String address;
    private final Socket socket;
    private final Writer out;
    private final BufferedReader reports;
    private final String hostname;
    private final CountDownLatch ended = new CountDownLatch(1);
    private long offsetNanos;
    private long wallOffsetMicros;
    private long rttNanos = Long.MAX_VALUE;
    private volatile long pid;
    private volatile int exit = -1;

    private AgentLink(String address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
        this.reports = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)) {
            @Override
            public void close() throws IOException {
                try {
                    socket.close();
                } finally {
                    ended.countDown();
                }
            }
        };
        String[] hello = expect(Agent.HELLO);
        this.hostname = hello.length > 1 ? hello[1] : "?";
    }

    /**
     * Connects to the agent at {@code address} ({@code host:port}), measures its clock and sends {@code orderJson}.
     *
     * @throws IllegalStateException naming the address when the agent cannot be reached or does not answer
     */
    static AgentLink connect(String address, String orderJson) {
        Socket socket = new Socket();
        try {
            AgentLink link = open(address, socket);
            link.measureClock();
            link.send(Agent.ORDER + "\t" + orderJson);
            socket.setSoTimeout(0);
            return link;
        } catch (IOException | RuntimeException e) {
            throw unreachable(address, socket, e);
        }
    }

    /** Connects to the agent at {@code address}, takes its greeting and hangs up (the agent then waits for more). */
    static void reach(String address) {
        Socket socket = new Socket();
        try {
            open(address, socket);
            socket.close();
        } catch (IOException | RuntimeException e) {
            throw unreachable(address, socket, e);
        }
    }

    private static AgentLink open(String address, Socket socket) throws IOException {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
        return new AgentLink(address, socket);
    }

    /** Closes {@code socket} and says which agent could not be reached and why. */
    private static IllegalStateException unreachable(String address, Socket socket, Exception e) {
        try {
            socket.close();
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
        return new IllegalStateException("agent " + address + " cannot be reached: " + e.getMessage(), e);
    }

    private void measureClock() throws IOException {
        for (int i = 0; i < PINGS; i++) {
            long wallBefore = micros(Instant.now());
            long before = System.nanoTime();
            send(Agent.TIME);
            String[] answer = expect(Agent.TIME);
            long after = System.nanoTime();
            long wallAfter = micros(Instant.now());
            if (after - before < rttNanos) {
                rttNanos = after - before;
                offsetNanos = Long.parseLong(answer[1]) - (before + (after - before) / 2);
                wallOffsetMicros = Long.parseLong(answer[2]) - (wallBefore + (wallAfter - wallBefore) / 2);
            }
        }
    }

    /**
     * True when {@code line} is the agent's own ({@code PID}, {@code EXIT}) rather than the worker's report, and
     * takes what it says.
     */
    boolean ownLine(String line) {
        if (line.startsWith(Agent.PID + "\t")) {
            pid = Long.parseLong(line.substring(Agent.PID.length() + 1));
            return true;
        }
        if (line.startsWith(Agent.EXIT + "\t")) {
            exit = Integer.parseInt(line.substring(Agent.EXIT.length() + 1));
            return true;
        }
        return false;
    }

    @Override
    public BufferedReader reports() {
        return reports;
    }

    @Override
    public void stop() throws IOException {
        send(Agent.STOP);
    }

    @Override
    public void kill() {
        try {
            send(Agent.KILL);
        } catch (IOException e) {
            // the connection is gone: the agent stops its worker itself when the connection ends
        }
    }

    @Override
    public boolean waitFor(long nanos) throws InterruptedException {
        return ended.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public OptionalInt exitStatus() {
        return ended.getCount() > 0 ? OptionalInt.empty() : OptionalInt.of(exit);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public long clockOffsetNanos() {
        return offsetNanos;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "agent %s on host %s, pid %d, clock offset %+.3f ms monotonic / %+.3f ms"
                + " wall (ping round trip %.3f ms)", address, hostname, pid, offsetNanos / 1e6,
                wallOffsetMicros / 1e3, rttNanos / 1e6);
    }

    private synchronized void send(String line) throws IOException {
        out.write(line + "\n");
        out.flush();
    }

    private String[] expect(String kind) throws IOException {
        String line = reports.readLine();
        if (line == null) {
            throw new IOException("the agent closed the connection");
        }
        String[] fields = line.split("\t", -1);
        if (!fields[0].equals(kind)) {
            throw new IOException("the agent answered '" + fields[0] + "', not " + kind
                    + " (is a queuebench agent listening there?)");
        }
        return fields;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
