package dev.queuebench.suite.lab;

import dev.queuebench.suite.workers.Agent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The process the lab starts in each namespace ({@code ip netns exec <ns> java ... NamespaceAgent ...}): it opens
 * the namespace's side of the server relays, measures the round trip to the host's echo (through its relay, the path
 * a backend's client takes), and then is an {@link Agent} that
 * names its namespace and both round trips to every coordinator. It ends when its stdin closes (the coordinator that
 * started it is gone), killing the worker JVMs it started.
 *
 * <p>Arguments: {@code --listen ADDR:PORT --echo LOCAL:PORT --where TEXT [--relay LOCAL:PORT=REMOTE:PORT]...}.
 * It prints {@code queuebench lab rtt MICROS} and then the agent's {@code listening on} line.
 */
public final class NamespaceAgent {
    static final String RTT_LINE = "queuebench lab rtt ";

    private NamespaceAgent() {}

    /** Runs until its stdin closes; exits 1 on bad arguments or a relay or echo it cannot open. */
    public static void main(String[] args) {
        String listen = null;
        String echo = null;
        String where = null;
        List<String> relays = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--listen" -> listen = args[i + 1];
                case "--echo" -> echo = args[i + 1];
                case "--where" -> where = args[i + 1];
                case "--relay" -> relays.add(args[i + 1]);
                default -> fail("unknown argument " + args[i]);
            }
        }
        if (listen == null || echo == null || where == null || args.length % 2 != 0) {
            fail("usage: NamespaceAgent --listen ADDR:PORT --echo ADDR:PORT --where TEXT [--relay L:P=R:P]...");
        }
        List<PortRelay> opened = new ArrayList<>();
        long rtt;
        try {
            for (String relay : relays) {
                String[] ends = relay.split("=", 2);
                opened.add(PortRelay.start(address(ends[0]), address(ends[1]), Duration.ZERO));
            }
            rtt = RoundTripEcho.measure(address(echo));
        } catch (IOException | RuntimeException e) {
            fail(e.getMessage());
            return;
        }
        System.out.println(RTT_LINE + rtt);
        Thread.ofPlatform().daemon(true).name("qb-lab-stdin").start(NamespaceAgent::endWithStdin);
        int status = Agent.listen(listen, where + ", measured " + RoundTripEcho.millis(rtt) + " (TCP, shortest of "
                + RoundTripEcho.EXCHANGES + ")", System.out);
        opened.forEach(PortRelay::close);
        System.exit(status);
    }

    /** Waits for stdin to end, then kills every process this one started and exits. */
    private static void endWithStdin() {
        try {
            InputStream in = System.in;
            while (in.read() >= 0) {
                // nothing is sent: only the end matters
            }
        } catch (IOException e) {
            // as if it had ended
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Runtime.getRuntime().halt(0);
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void fail(String message) {
        System.err.println("queuebench lab agent: " + message);
        System.exit(1);
    }
}
