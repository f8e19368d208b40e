package dev.queuebench.suite.run;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import dev.queuebench.suite.workers.Agent;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The command line of the jar: {@code queuebench run --backend postgres ...}, {@code queuebench list} and
 * {@code queuebench agent --listen HOST:PORT}. Its options
 * are built from {@link RunOptions#OPTIONS}, each as {@code --name} (as in SUITE.md, e.g. {@code --payloadBytes},
 * {@code --postgres.url}) and in kebab case ({@code --payload-bytes}, {@code --postgres-url}); their values go
 * through the same {@link RunOptions#parse} as the system properties of {@code exec:java}.
 */
final class Cli {
    private static final java.util.Set<String> FLAGS =
            java.util.Set.of("strict", "verbose", "virtualThreads", "claimAhead");

    private Cli() {}

    /** Parses {@code args}, runs the sub-command, returns its exit status (1 for a bad command line). */
    static int execute(String[] args) {
        CommandSpec root = CommandSpec.create().name("queuebench").mixinStandardHelpOptions(true);
        root.usageMessage().description("Benchmarks durable job-queue backends found on the class path.");
        CommandSpec run = withOptions(CommandSpec.create().name("run").mixinStandardHelpOptions(true));
        run.usageMessage().description("Runs the benchmark suites and writes results/<stamp>/.");
        CommandSpec list = withOptions(CommandSpec.create().name("list").mixinStandardHelpOptions(true));
        list.usageMessage().description("Lists the backends found (capabilities, strategies) and the scenarios.");
        CommandSpec agent = CommandSpec.create().name("agent").mixinStandardHelpOptions(true);
        agent.usageMessage().description("Runs a worker agent: coordinators started with -Dagents (--agents) connect"
                + " here and run their consumers on this host; the backend configuration comes over the connection.");
        agent.addOption(OptionSpec.builder("--listen").type(String.class).required(true).paramLabel("<host:port>")
                .description("address to listen on, e.g. 0.0.0.0:7000 (port 0: any free port, printed)").build());
        root.addSubcommand("run", run);
        root.addSubcommand("list", list);
        root.addSubcommand("agent", agent);
        CommandLine commandLine = new CommandLine(root);
        PrintWriter err = new PrintWriter(System.err, true);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("queuebench: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 1;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return 0;
        }
        ParseResult sub = parsed.subcommand();
        if (sub == null) {
            commandLine.usage(err);
            return 1;
        }
        if (sub.commandSpec().name().equals("agent")) {
            return Agent.listen(sub.matchedOptionValue("--listen", ""), System.out);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (OptionSpec option : sub.matchedOptions()) {
            if (option.userObject() instanceof String key) {
                options.put(key, option.getValue().toString());
            } else if (option.getValue() instanceof Map<?, ?> settings) {
                settings.forEach((k, v) -> options.put(k.toString(), v.toString()));
            }
        }
        return sub.commandSpec().name().equals("list") ? Main.list(options, System.out) : Main.run(options, System.err);
    }

    private static CommandSpec withOptions(CommandSpec spec) {
        RunOptions.OPTIONS.forEach((key, help) -> {
            String kebab = key.replaceAll("([a-z])([A-Z])", "$1-$2").replace('.', '-').toLowerCase(Locale.ROOT);
            String[] names = kebab.equals(key) ? new String[] {"--" + key} : new String[] {"--" + key, "--" + kebab};
            OptionSpec.Builder option = OptionSpec.builder(names).description(help).type(String.class)
                    .userObject(key).paramLabel("<" + kebab + ">");
            if (FLAGS.contains(key)) {
                option.arity("0..1").fallbackValue("true");
            }
            spec.addOption(option.build());
        });
        spec.addOption(OptionSpec.builder("--set").type(Map.class).auxiliaryTypes(String.class, String.class)
                .paramLabel("<backend.key=value>")
                .description("a provider configuration key, e.g. --set postgres.schema=bench (repeatable)").build());
        return spec;
    }
}
