package dev.queuebench.suite.workers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A worker agent ({@code queuebench agent --listen HOST:PORT}): it runs on any host and, for each coordinator
 * connection, starts one {@link WorkerProcessMain} JVM on its own host with the order the coordinator sends, and
 * carries that worker's report back over the connection. The order, backend configuration and secrets included,
 * travels over the connection only: never on a command line (the worker gets it on its stdin) and never in a log.
 *
 * <h2>The connection</h2>
 * One line a message, tab-separated. The agent opens with {@code AGENT hostname}; the coordinator may send
 * {@code T} any number of times (the agent answers {@code T nanoTime epochMicros}: its clocks, for the offset), then
 * {@code ORDER json}. The agent answers {@code PID pid} once the worker JVM runs, then passes on the worker's stdout
 * line by line (the report protocol of {@link WorkerProcessMain}, unchanged), and ends with {@code EXIT status} when
 * the worker has exited, then closes. After the order the coordinator sends {@code STOP} (passed on to the worker:
 * it settles what it holds and exits) or {@code KILL} (the worker is SIGKILLed; what it wrote before is still
 * passed on).
 *
 * <h2>The worker's stdin</h2>
 * The worker is started with {@link WorkerProcessMain#UNDER_AGENT}: after the order, the agent writes
 * {@code P count} on its stdin once it has passed the first {@code count} report lines on to the connection (after
 * each {@code A} line, at the latest when no more report is waiting), and {@code STOP} when the coordinator says so.
 * The worker calls {@code complete} only once its announcement is passed on ({@link ReportBarrier}), so an agent
 * that dies whole (SIGKILL, a crashed host) leaves no complete the coordinator was not told of. When the connection
 * ends, or the agent dies, the worker's stdin closes and it halts at once: nothing it did after could be reported.
 */
public final class Agent {
    static final String HELLO = "AGENT";
    static final String TIME = "T";
    static final String ORDER = "ORDER";
    static final String PID = "PID";
    static final String EXIT = "EXIT";
    static final String STOP = "STOP";
    static final String KILL = "KILL";
    /** Most report lines passed on after an {@code A} before the worker is told, however busy its report is. */
    private static final int ACK_EVERY = 64;

    private Agent() {}

    /** {@code --listen HOST:PORT}: serves coordinators until killed. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].equals("--listen")) {
            System.err.println("usage: " + Agent.class.getName() + " --listen HOST:PORT");
            System.exit(1);
        }
        System.exit(listen(args[1], System.out));
    }

    /**
     * Listens on {@code hostPort} (port 0: any free one), writes {@code queuebench agent listening on HOST:PORT} to
     * {@code out} once it accepts connections, and serves each connection on its own thread until the process ends.
     *
     * @return 1 when the address cannot be listened on (said on stderr)
     */
    public static int listen(String hostPort, PrintStream out) {
        return listen(hostPort, hostname(), out);
    }

    /**
     * {@link #listen(String, PrintStream)}, telling coordinators it runs on {@code where} (e.g. the host and the lab
     * namespace) instead of the bare hostname.
     */
    public static int listen(String hostPort, String where, PrintStream out) {
        int colon = hostPort.lastIndexOf(':');
        String host;
        int port;
        try {
            host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (RuntimeException e) {
            System.err.println("queuebench agent: --listen takes HOST:PORT, e.g. 0.0.0.0:7000; got '" + hostPort + "'");
            return 1;
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(host, port));
            out.println("queuebench agent listening on " + host + ":" + server.getLocalPort() + " (host "
                    + where + ")");
            out.flush();
            while (true) {
                Socket connection = server.accept();
                Thread.ofPlatform().name("qb-agent-" + connection.getRemoteSocketAddress()).daemon(true)
                        .start(() -> serve(connection, where));
            }
        } catch (IOException e) {
            System.err.println("queuebench agent: cannot listen on " + hostPort + ": " + e.getMessage());
            return 1;
        }
    }

    /** One coordinator connection: the handshake, one worker JVM, its report, its end. */
    private static void serve(Socket connection, String where) {
        try (connection) {
            connection.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(connection.getOutputStream(), StandardCharsets.UTF_8);
            send(out, HELLO + "\t" + where);
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return;
                } else if (line.equals(TIME)) {
                    Instant now = Instant.now();
                    send(out, TIME + "\t" + System.nanoTime() + "\t"
                            + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000));
                } else if (line.startsWith(ORDER + "\t")) {
                    Process worker = start(line.substring(ORDER.length() + 1), out);
                    if (worker != null) {
                        Thread forwarder = Thread.ofPlatform().name("qb-agent-report-" + worker.pid()).daemon(true)
                                .start(() -> forward(worker, out, connection));
                        control(in, worker);
                        forwarder.join();
                    }
                    return;
                } else {
                    return; // not a coordinator
                }
            }
        } catch (IOException e) {
            // the coordinator went away: nothing left to tell it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the worker JVM, or tells the coordinator why it could not (an {@code E} line and {@code EXIT 1}). */
    private static Process start(String orderJson, Writer out) throws IOException {
        try {
            Process worker = WorkerProcesses.startWorkerJvm(orderJson, WorkerProcessMain.UNDER_AGENT);
            send(out, PID + "\t" + worker.pid());
            return worker;
        } catch (IOException e) {
            send(out, "E\t1\tthe agent on " + hostname() + " cannot start a worker JVM: "
                    + WorkerProcessMain.oneLine(e.getMessage()));
            send(out, EXIT + "\t1");
            return null;
        }
    }

    /** Acts on the coordinator's STOP and KILL until its side of the connection ends, which halts the worker. */
    private static void control(BufferedReader in, Process worker) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals(KILL)) {
                    worker.toHandle().destroyForcibly(); // leaves the pipe open: the report is read to its end
                } else if (line.equals(STOP)) {
                    tellWorker(worker, WorkerProcessMain.STOP);
                }
            }
        } catch (IOException e) {
            // the connection broke: as if it had ended
        }
        closeStdin(worker);
    }

    /**
     * Passes the worker's stdout on line by line, telling the worker how far it got ({@code P count}) after each
     * {@code A} line once nothing more is waiting (or {@link #ACK_EVERY} lines later), then {@code EXIT status},
     * then closes the agent's side. When the coordinator is gone the rest is read and dropped, unacknowledged, so the
     * worker never blocks on a full pipe and completes nothing more.
     */
    private static void forward(Process worker, Writer out, Socket connection) {
        boolean connected = true;
        long passedOn = 0;
        long owedSince = -1;
        try (BufferedReader report = new BufferedReader(
                new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = report.readLine(); line != null; line = report.readLine()) {
                if (connected) {
                    try {
                        send(out, line);
                        passedOn++;
                    } catch (IOException e) {
                        connected = false;
                    }
                }
                if (connected && owedSince < 0 && line.startsWith(WorkerProcessMain.ANNOUNCEMENT)) {
                    owedSince = passedOn;
                }
                if (connected && owedSince >= 0 && (!report.ready() || passedOn - owedSince >= ACK_EVERY)) {
                    tellWorker(worker, WorkerProcessMain.PASSED_ON + "\t" + passedOn);
                    owedSince = -1;
                }
            }
            int status = worker.waitFor();
            if (connected) {
                send(out, EXIT + "\t" + status);
                connection.shutdownOutput();
            }
        } catch (IOException e) {
            worker.toHandle().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code line} on the worker's stdin; a worker that is gone is left alone. */
    private static void tellWorker(Process worker, String line) {
        OutputStream stdin = worker.getOutputStream();
        synchronized (stdin) {
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                // it exited, or its stdin is closed: nothing to tell
            }
        }
    }

    private static void closeStdin(Process worker) {
        OutputStream stdin = worker.getOutputStream();
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void send(Writer out, String line) throws IOException {
        synchronized (out) {
            out.write(line + "\n");
            out.flush();
        }
    }

    /** This host's name as the agent reports it. */
    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return String.valueOf(System.getenv("HOSTNAME"));
        }
    }
}
