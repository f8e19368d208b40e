package dev.queuebench.suite.lab;

import dev.queuebench.api.ConfigurationException;
import dev.queuebench.suite.workers.WorkerProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab of hosts on this machine: {@code hosts} network namespaces named {@code qb-<run>-<n>}, each joined to the
 * host namespace by a veth pair on its own {@code 10.237.x.y/30} (host {@code .1}, namespace {@code .2}), half the
 * round trip of netem delay on each end, the host's loopback servers relayed into it ({@link PortRelay} on both
 * sides, so a configuration naming {@code localhost:5432} works unchanged inside), and a {@link NamespaceAgent} in
 * it. Where the kernel has no netem ({@code CONFIG_NET_SCH_NETEM} unset: {@code tc} answers "qdisc kind is
 * unknown"), the host's relays hold every chunk back half the round trip in each direction instead: then only
 * client-server traffic carries the round trip, not the coordinator's connection to its agents. The round trip is
 * measured the way a backend's client sees it: from inside the namespace, through the relays, to an echo on the
 * host's loopback ({@link RoundTripEcho}).
 *
 * <p>{@link #close()} (also a shutdown hook, should the JVM end first) stops the agents and removes the relays,
 * veths and namespaces; a later lab removes namespaces left by a lab whose JVM was killed (no process in them,
 * older than {@link #STALE}). Root only; it only ever addresses loopback and the addresses it created.
 */
public final class Lab implements AutoCloseable {
    /** A namespace of a lab with no process left in it, older than this, is left over from a killed coordinator. */
    static final Duration STALE = Duration.ofMinutes(2);
    private static final Duration AGENT_START = Duration.ofSeconds(90);
    private static final Pattern NAMESPACE = Pattern.compile("^(qb-[0-9a-f]{8}-[0-9]+)\\b");
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) ");

    /** One namespace as the report shows it: its name, agent address, set and measured round trips. */
    public record Host(String namespace, String agent, String hostAddress, double setRttMillis,
            double measuredRttMillis, String delayedBy) {
        /** One line for the progress output. */
        public String describe() {
            return String.format(Locale.ROOT, "netns %s: agent %s (host side %s), RTT set %.3f ms (%s), measured"
                    + " %.3f ms", namespace, agent, hostAddress, setRttMillis, delayedBy, measuredRttMillis);
        }
    }

    /** How the round trip is added: netem on both veth ends, or the host's relays. */
    private enum Delay {
        NONE("no delay"), NETEM("netem on both veth ends"), RELAYS("the lab's relays: this kernel has no netem");

        final String label;

        Delay(String label) {
            this.label = label;
        }
    }

    /** What one namespace holds while the lab is up, for closing. */
    private static final class Namespace {
        final String name;
        final String hostVeth;
        final String nsVeth;
        final String hostAddress;
        final List<PortRelay> relays = new ArrayList<>();
        Process agent;
        Host host;

        Namespace(String name, String hostVeth, String nsVeth, String hostAddress) {
            this.name = name;
            this.hostVeth = hostVeth;
            this.nsVeth = nsVeth;
            this.hostAddress = hostAddress;
        }
    }

    private final LabSpec spec;
    private final boolean roundTripPerCase;
    private final String run;
    private final List<Namespace> namespaces = new ArrayList<>();
    private RoundTripEcho echo;
    private Delay delay;
    private final Thread teardownOnExit = new Thread(this::teardown, "qb-lab-teardown");
    private boolean closed;

    private Lab(LabSpec spec, boolean roundTripPerCase, String run) {
        this.spec = spec;
        this.roundTripPerCase = roundTripPerCase;
        this.run = run;
    }

    /**
     * Makes the lab, relaying {@code servers} (loopback host:port pairs, see {@link LoopbackServers}) into every
     * namespace, and returns once every agent listens; prints one line a host on {@code progress}.
     *
     * @throws ConfigurationException when not root or {@code ip}/{@code tc} are missing (option 'lab' named)
     * @throws UncheckedIOException   naming the command or agent that failed; what was made is removed again
     */
    public static Lab up(LabSpec spec, List<InetSocketAddress> servers, PrintStream progress) {
        return up(spec, servers, progress, false);
    }

    /**
     * {@link #up(LabSpec, List, PrintStream)}; with {@code roundTripPerCase} the run sets the round trip before its
     * cases ({@link #roundTrip}), and the agents say so instead of naming the spec's.
     */
    public static Lab up(LabSpec spec, List<InetSocketAddress> servers, PrintStream progress,
            boolean roundTripPerCase) {
        requireRoot();
        removeStale();
        Lab lab = new Lab(spec, roundTripPerCase, HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Runtime.getRuntime().addShutdownHook(lab.teardownOnExit);
        try {
            lab.echo = RoundTripEcho.start(new InetSocketAddress("127.0.0.1", 0));
            List<InetSocketAddress> relayed = new ArrayList<>(servers);
            relayed.add(InetSocketAddress.createUnresolved("127.0.0.1", lab.echo.address().getPort()));
            for (int i = 1; i <= spec.hosts(); i++) {
                lab.addHost(i, relayed);
            }
            for (Namespace ns : lab.namespaces) {
                ns.host = lab.awaitAgent(ns);
                progress.println("lab " + spec.label() + ": " + ns.host.describe());
            }
        } catch (IOException e) {
            lab.close();
            throw new UncheckedIOException("option 'lab': cannot make the lab: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** The agents' addresses ({@code namespace address:port}), for {@code -Dagents}. */
    public List<String> agents() {
        return namespaces.stream().map(ns -> ns.host.agent()).toList();
    }

    /** Every namespace with its agent and round trips. */
    public List<Host> hosts() {
        return namespaces.stream().map(ns -> ns.host).toList();
    }

    /**
     * Sets every namespace's round trip to {@code rttMicros} (netem on both veth ends where the kernel has it, else
     * the host's relays, on the connections already open too), measures it again from inside each namespace the way
     * the agents did at start (a JVM there timing the echo through the relays, in parallel) and returns the hosts
     * with both.
     *
     * @throws UncheckedIOException naming the command or namespace that failed
     */
    public synchronized List<Host> roundTrip(long rttMicros) {
        String half = (rttMicros / 2) + "us";
        try {
            if (delay == Delay.NONE && rttMicros > 0) {
                delay = netem(namespaces.getFirst().hostVeth, half);
            }
            Duration relayDelay = delay == Delay.RELAYS ? Duration.ofNanos(rttMicros * 1000 / 2) : Duration.ZERO;
            for (Namespace ns : namespaces) {
                if (delay == Delay.NETEM) {
                    run("tc", "qdisc", "replace", "dev", ns.hostVeth, "root", "netem", "delay", half);
                    ip("netns", "exec", ns.name, "tc", "qdisc", "replace", "dev", ns.nsVeth, "root", "netem", "delay",
                            half);
                }
                ns.relays.forEach(relay -> relay.delay(relayDelay));
            }
            String classPath = WorkerProcesses.classPath(); // here: it reads this thread's context class loader
            List<CompletableFuture<String>> measured = namespaces.stream().map(ns -> CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return output("ip", "netns", "exec", ns.name,
                                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                                    "-XX:TieredStopAtLevel=1", "-cp", classPath,
                                    RoundTripEcho.class.getName(), "127.0.0.1:" + echo.address().getPort()).trim();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })).toList();
            for (int i = 0; i < namespaces.size(); i++) {
                Namespace ns = namespaces.get(i);
                long micros = Long.parseLong(measured.get(i).join());
                ns.host = new Host(ns.name, ns.host.agent(), ns.hostAddress, rttMicros / 1e3, micros / 1e3,
                        rttMicros == 0 ? Delay.NONE.label : delay.label);
            }
            return hosts();
        } catch (IOException e) {
            throw new UncheckedIOException("the lab cannot set its round trip to " + RoundTripEcho.millis(rttMicros)
                    + ": " + e.getMessage(), e);
        } catch (CompletionException | NumberFormatException e) {
            throw new UncheckedIOException("the lab cannot measure its round trip of "
                    + RoundTripEcho.millis(rttMicros) + ": " + e.getMessage(), new IOException(e));
        }
    }

    /** The process of agent {@code index} (in the order of {@link #agents()}), e.g. to kill a whole host. */
    public ProcessHandle agentProcess(int index) {
        return namespaces.get(index).agent.toHandle();
    }

    /** The namespaces' names (they exist until {@link #close()}). */
    public List<String> namespaceNames() {
        return namespaces.stream().map(ns -> ns.name).toList();
    }

    private void addHost(int index, List<InetSocketAddress> servers) throws IOException {
        String name = "qb-" + run + "-" + index;
        String hostVeth = "qb" + run + "h" + index;
        String nsVeth = "qb" + run + "n" + index;
        int[] subnet = freeSubnet();
        String hostAddress = "10.237." + subnet[0] + "." + (subnet[1] + 1);
        String nsAddress = "10.237." + subnet[0] + "." + (subnet[1] + 2);
        Namespace ns = new Namespace(name, hostVeth, nsVeth, hostAddress);
        namespaces.add(ns);
        ip("netns", "add", name);
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
        ip("link", "set", nsVeth, "netns", name);
        ip("addr", "add", hostAddress + "/30", "dev", hostVeth);
        ip("link", "set", hostVeth, "up");
        ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
        ip("netns", "exec", name, "ip", "addr", "add", nsAddress + "/30", "dev", nsVeth);
        ip("netns", "exec", name, "ip", "link", "set", nsVeth, "up");
        String half = (spec.rttMicros() / 2) + "us";
        if (delay == null) {
            delay = spec.rttMicros() == 0 ? Delay.NONE : netem(hostVeth, half);
        } else if (delay == Delay.NETEM) {
            run("tc", "qdisc", "add", "dev", hostVeth, "root", "netem", "delay", half);
        }
        if (delay == Delay.NETEM) {
            ip("netns", "exec", name, "tc", "qdisc", "add", "dev", nsVeth, "root", "netem", "delay", half);
        }
        Duration relayDelay = delay == Delay.RELAYS ? Duration.ofNanos(spec.rttMicros() * 1000 / 2) : Duration.ZERO;
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", WorkerProcesses.classPath(), NamespaceAgent.class.getName(), "--listen", nsAddress + ":0"));
        for (InetSocketAddress server : servers) {
            ns.relays.add(PortRelay.start(new InetSocketAddress(hostAddress, server.getPort()),
                    new InetSocketAddress(server.getHostString(), server.getPort()), relayDelay));
            command.addAll(List.of("--relay", server.getHostString() + ":" + server.getPort() + "=" + hostAddress + ":"
                    + server.getPort()));
        }
        command.addAll(List.of("--echo", "127.0.0.1:" + echo.address().getPort(), "--where",
                hostname() + " netns " + name + (roundTripPerCase ? ", lab RTT set per case (the network scenario)"
                        : ", lab RTT set " + RoundTripEcho.millis(spec.rttMicros()) + " (" + delay.label + ")")));
        ns.agent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the agent's measured round trip and its address; the rest of its output is read and dropped. */
    private Host awaitAgent(Namespace ns) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(ns.agent.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<Host> started = CompletableFuture.supplyAsync(() -> {
            try {
                long rtt = -1;
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(NamespaceAgent.RTT_LINE)) {
                        rtt = Long.parseLong(line.substring(NamespaceAgent.RTT_LINE.length()).trim());
                    }
                    Matcher listening = LISTENING.matcher(line);
                    if (listening.find()) {
                        return new Host(ns.name, listening.group(1), ns.hostAddress, spec.rttMillis(), rtt / 1e3,
                                delay.label);
                    }
                }
                throw new IOException("the agent in " + ns.name + " exited before it listened (its stderr above)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            Host host = started.get(AGENT_START.toSeconds(), TimeUnit.SECONDS);
            Thread.ofPlatform().daemon(true).name("qb-lab-agent-" + ns.name).start(() -> drain(out));
            return host;
        } catch (TimeoutException e) {
            throw new IOException("the agent in " + ns.name + " did not listen within " + AGENT_START.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the agent in " + ns.name + " started", e);
        }
    }

    private static void drain(BufferedReader out) {
        try (out) {
            while (out.readLine() != null) {
                // the agent says nothing more that matters
            }
        } catch (IOException e) {
            // it ended
        }
    }

    /** Stops the agents (and their workers), closes the relays, removes the veths and namespaces; idempotent. */
    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(teardownOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (and finds nothing left to do)
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            Namespace ns = namespaces.get(i);
            if (ns.agent != null) {
                stop(ns.agent);
            }
            for (int r = ns.relays.size() - 1; r >= 0; r--) {
                ns.relays.get(r).close();
            }
            quietly("ip", "link", "del", ns.hostVeth);
            quietly("ip", "netns", "del", ns.name);
        }
        if (echo != null) {
            echo.close();
        }
    }

    /** Puts netem delay {@code half} on {@code device}: NETEM, or RELAYS when this kernel has no netem. */
    private static Delay netem(String device, String half) throws IOException {
        try {
            run("tc", "qdisc", "add", "dev", device, "root", "netem", "delay", half);
            return Delay.NETEM;
        } catch (IOException e) {
            if (e.getMessage().contains("kind is unknown")) {
                return Delay.RELAYS;
            }
            throw e;
        }
    }

    /** Closes the agent's stdin (it kills its workers and exits), and SIGKILLs it and them if still there. */
    private static void stop(Process agent) {
        try {
            agent.getOutputStream().close();
            if (!agent.waitFor(5, TimeUnit.SECONDS)) {
                agent.descendants().forEach(ProcessHandle::destroyForcibly);
                agent.destroyForcibly();
                agent.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            agent.destroyForcibly();
        } catch (InterruptedException e) {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns when this process is root and the {@code ip} and {@code tc} commands run.
     *
     * @throws ConfigurationException saying what is missing
     */
    public static void requireRoot() {
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new ConfigurationException("option 'lab' needs Linux network namespaces (/proc/self not readable: "
                    + e.getMessage() + ")");
        }
        if (!Integer.valueOf(0).equals(uid)) {
            throw new ConfigurationException("option 'lab' needs root (network namespaces, veth, tc netem); this"
                    + " process runs as uid " + uid);
        }
        for (String tool : List.of("ip", "tc")) {
            try {
                Process p = new ProcessBuilder(tool, "-V").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException("exit status " + p.exitValue());
                }
            } catch (IOException e) {
                throw new ConfigurationException("option 'lab' needs the '" + tool + "' command (iproute2): "
                        + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigurationException("option 'lab': interrupted while looking for '" + tool + "'");
            }
        }
    }

    /** A {@code /30} in 10.237.0.0/16 no interface of the host namespace has an address in: {third octet, base}. */
    private static int[] freeSubnet() throws IOException {
        String taken = output("ip", "-o", "-4", "addr", "show");
        for (int attempt = 0; attempt < 1000; attempt++) {
            int third = ThreadLocalRandom.current().nextInt(256);
            int base = ThreadLocalRandom.current().nextInt(64) * 4;
            boolean used = false;
            for (int last = base; last < base + 4; last++) {
                used |= taken.contains(" 10.237." + third + "." + last + "/");
            }
            if (!used) {
                return new int[] {third, base};
            }
        }
        throw new IOException("no free /30 left in 10.237.0.0/16");
    }

    /**
     * Removes lab namespaces no process is in any more and older than {@link #STALE}: those of a coordinator that was
     * killed before it could tear its lab down (its agents end with it). Their veths go with them.
     */
    static void removeStale() {
        String list;
        try {
            list = output("ip", "netns", "list");
        } catch (IOException e) {
            return;
        }
        for (String line : list.split("\n")) {
            Matcher m = NAMESPACE.matcher(line.trim());
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            try {
                FileTime made = Files.getLastModifiedTime(Path.of("/run/netns", name));
                boolean old = made.toInstant().isBefore(Instant.now().minus(STALE));
                if (old && output("ip", "netns", "pids", name).isBlank()) {
                    quietly("ip", "netns", "del", name);
                }
            } catch (IOException e) {
                // gone meanwhile, or not ours to judge
            }
        }
    }

    private static void ip(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        run(command);
    }

    private static void run(String... command) throws IOException {
        output(command);
    }

    /** Runs {@code command} and returns its stdout; a non-zero exit is an IOException with the command and stderr. */
    private static String output(String... command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("'" + String.join(" ", command) + "' failed (" + p.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return out;
    }

    private static void quietly(String... command) {
        try {
            output(command);
        } catch (IOException e) {
            // already gone
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
