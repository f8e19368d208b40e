package dev.queuebench.suite.run;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.suite.lab.Lab;
import dev.queuebench.suite.lab.LabSpec;
import dev.queuebench.suite.lab.LoopbackServers;
import dev.queuebench.suite.report.ReportWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The entry point. Without arguments (as {@code mvn exec:java} runs it) the options are system properties, e.g.
 * {@code -Dbackend=postgres -Dscenario=quick}, {@code -Dlist=true} lists backends and scenarios, and
 * {@code -Dredraw=results/<stamp>} writes a run folder's charts and reports again from its JSON; with arguments
 * it is the {@link Cli} ({@code run --backend postgres}, {@code list}). {@code -Dlab} and the network scenario run
 * inside a {@link Lab}. Ends the JVM with the run's exit status.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status = args.length > 0 ? Cli.execute(args) : fromProperties();
        System.out.flush();
        System.exit(status);
    }

    /** Runs (or lists) with the options given as system properties; returns the exit status. */
    static int fromProperties() {
        Map<String, String> properties = new TreeMap<>();
        System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
        if (Boolean.parseBoolean(properties.get("list"))) {
            return list(properties, System.out);
        }
        if (properties.containsKey("redraw")) {
            return redraw(Path.of(properties.get("redraw")), System.err);
        }
        return run(properties, System.err);
    }

    /** Validates the options and runs the benchmark; a bad option or a failed run prints one clear message. */
    public static int run(Map<String, String> options, PrintStream err) {
        boolean verbose = Boolean.parseBoolean(options.get("verbose"));
        try {
            RunOptions parsed = RunOptions.parse(options, System.getenv());
            boolean network = !parsed.scenario().roundTripsMicros().isEmpty();
            Optional<LabSpec> spec = parsed.lab().or(() -> network
                    ? Optional.of(new LabSpec(Scenario.NETWORK_HOSTS, 0)) : Optional.empty());
            if (spec.isEmpty()) {
                return new BenchmarkRunner(parsed, err).run();
            }
            try (Lab lab = Lab.up(spec.get(), labServers(parsed), err, network)) {
                return new BenchmarkRunner(parsed.withLabAgents(lab.agents()), err, network ? lab : null).run();
            }
        } catch (QueueException | UncheckedIOException e) {
            err.println("queuebench: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** The loopback servers every chosen backend's configuration names, which the lab relays into its namespaces. */
    private static List<InetSocketAddress> labServers(RunOptions options) {
        return options.backends().stream().flatMap(b -> LoopbackServers.of(b, options.backendValues(b),
                QueueBackends.provider(b).configKeys()).stream()).distinct().toList();
    }

    /** Draws the charts and writes the reports of an existing run folder again from its JSON; returns 0 or 1. */
    static int redraw(Path folder, PrintStream err) {
        try {
            System.out.println("Rewrote " + ReportWriter.redraw(folder).toAbsolutePath() + " and its charts and HTML");
            return 0;
        } catch (UncheckedIOException e) {
            err.println("queuebench: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Prints each backend found on the class path (description, strategies, configuration keys and, when it can be
     * opened here, its capabilities) and the scenarios.
     */
    static int list(Map<String, String> options, PrintStream out) {
        Map<String, Map<String, String>> settings = RunOptions.backendSettings(options, System.getenv(),
                QueueBackends.names());
        out.println("Backends:");
        for (QueueBackendProvider provider : QueueBackends.providers()) {
            out.printf("  %-9s %s%n", provider.name(), provider.description());
            out.printf("            strategies: %s (first is the default)%n", String.join(", ", provider.strategies()));
            out.printf("            keys: %s%n", provider.configKeys().stream().map(ConfigKey::name).toList());
            out.printf("            capabilities: %s%n",
                    capabilities(provider, settings.getOrDefault(provider.name(), Map.of())));
        }
        out.println("Scenarios:");
        for (Scenario scenario : Scenario.values()) {
            out.println("  " + scenario.summary());
        }
        out.println("Options (-Dname=value, or --name value with the jar's run command):");
        RunOptions.OPTIONS.forEach((key, help) -> out.printf("  %-15s %s%n", key, help));
        return 0;
    }

    private static String capabilities(QueueBackendProvider provider, Map<String, String> given) {
        Map<String, String> values = new TreeMap<>(given);
        boolean temporaryPath = !values.containsKey("path")
                && provider.configKeys().stream().anyMatch(k -> k.name().equals("path"));
        try {
            if (temporaryPath) {
                values.put("path", Files.createTempFile("queuebench-list", ".db").toString());
            }
            try (QueueBackend backend = QueueBackends.open(provider.name(), BackendConfig.of(values))) {
                Capabilities c = backend.capabilities();
                return String.format("durability %s, %s, atomic batch %s, max payload %,d bytes, wake on enqueue %s",
                        c.durability(), c.ordering(), c.atomicBatch(), c.maxPayloadBytes(), c.wakeOnEnqueue());
            }
        } catch (QueueException | IOException e) {
            return "not known here (" + e.getMessage() + ")";
        } finally {
            if (temporaryPath) {
                deleteQuietly(Path.of(values.get("path")));
            }
        }
    }

    private static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
