package dev.queuebench.suite.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay: every connection accepted on {@code listen} is joined to a new connection to {@code target}, bytes
 * copied both ways (Nagle off) until either side ends, each chunk held back {@code delay} in each direction (0: sent
 * at once). The lab puts one on the host (veth address to loopback) and one in each namespace (loopback to the
 * host's veth address) for every server port a backend's configuration names; where the kernel has no netem, the
 * host's relays carry the lab's round trip as that delay, which {@link #delay(Duration)} changes for the connections
 * already open as well (the network scenario's round trips).
 */
public final class PortRelay implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private volatile long delayNanos;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** Bytes read at {@code nanoTime}, to be written {@code delayNanos} later; null bytes: the end of the stream. */
    private record Chunk(long due, byte[] bytes) {}

    private PortRelay(ServerSocket server, InetSocketAddress target, long delayNanos) {
        this.server = server;
        this.target = target;
        this.delayNanos = delayNanos;
    }

    /**
     * Listens on {@code listen} and relays to {@code target} on virtual threads until closed, each direction held
     * back {@code delay}.
     *
     * @throws IOException when {@code listen} cannot be bound
     */
    public static PortRelay start(InetSocketAddress listen, InetSocketAddress target, Duration delay)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(listen, 512);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot relay " + listen + " to " + target + ": " + e.getMessage(), e);
        }
        PortRelay relay = new PortRelay(server, target, delay.toNanos());
        Thread.ofPlatform().daemon(true).name("qb-relay-" + listen).start(relay::accept);
        return relay;
    }

    /**
     * Holds every chunk read from now on back {@code delay} in each direction, also on connections already open;
     * chunks already waiting keep their time and order.
     */
    public void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    /** The address it listens on. */
    public InetSocketAddress listening() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> join(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void join(Socket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            upstream.connect(target, 5_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
            copy(client, upstream);
            back.join();
        } catch (IOException e) {
            // the target refused: the client sees its connection end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(upstream);
            closeQuietly(client);
            open.remove(client);
            open.remove(upstream);
        }
    }

    /**
     * Copies {@code from} to {@code to} until {@code from} ends, then ends {@code to}'s output. A chunk read while the
     * relay's delay is 0 and none is waiting is written at once; otherwise it goes through a queue whose writer sends
     * each chunk (and the end) the delay after it was read, so a change of delay never reorders the bytes.
     */
    private void copy(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        AtomicInteger waiting = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait = chunk.due() - System.nanoTime();
                    while (wait > 0) {
                        LockSupport.parkNanos(wait);
                        wait = chunk.due() - System.nanoTime();
                    }
                    if (chunk.bytes() == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                    waiting.decrementAndGet();
                }
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                long delay = delayNanos;
                if (delay == 0 && waiting.get() == 0) {
                    out.write(buffer, 0, n); // the writer holds nothing: no chunk can be overtaken
                    out.flush();
                } else {
                    waiting.incrementAndGet();
                    queue.add(new Chunk(System.nanoTime() + delay, Arrays.copyOf(buffer, n)));
                }
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, null));
            writer.join();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
            writer.interrupt();
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Stops accepting and cuts every relayed connection. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(PortRelay::closeQuietly);
    }
}
