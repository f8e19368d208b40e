package dev.queuebench.suite.run;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.chaos.ChaosCase;
import dev.queuebench.suite.chaos.ChaosSuite;
import dev.queuebench.suite.lab.LabSpec;
import dev.queuebench.suite.workers.Payload;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workload.LatencySuite;
import dev.queuebench.suite.workload.ThroughputSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything one run needs, validated once: both entry points ({@link Main}'s system properties and the CLI's long
 * options) hand their strings to {@link #parse}, which names the option and what it accepts on the first bad one.
 * Override lists are empty when the scenario's values apply.
 */
public record RunOptions(
        List<String> backends,
        List<String> suites,
        Scenario scenario,
        List<Integer> workers,
        Optional<Integer> jobs,
        List<Integer> batches,
        List<Integer> rates,
        Optional<Integer> durationSeconds,
        List<Task> tasks,
        int payloadBytes,
        Optional<String> strategy,
        Map<String, Map<String, String>> backendSettings,
        Path resultsDir,
        Optional<Path> baseline,
        double regressionThreshold,
        Optional<Path> targetsFile,
        boolean strict,
        boolean verbose,
        boolean virtualThreads,
        Map<String, String> given,
        int processes,
        List<String> chaosCases) {

    /** A figure worse than the baseline's by more than this share (beyond the noise) is a regression. */
    public static final double DEFAULT_REGRESSION_THRESHOLD = 0.10;

    /**
     * Tasks whose drains claim ahead unless {@code -DclaimAhead} says otherwise: {@code io}, whose 10 ms handler hides
     * the claim's and the acknowledgement's round trips (one at a time they are paid once per job; batched, a claim of
     * 16 that takes 16 round trips, as on RabbitMQ, cost its quorum drain 5-10 %), as an application with slow
     * handlers would set it; not {@code noop} or {@code cpu}, whose figures measure the round trips themselves.
     */
    public static final Set<Task> CLAIM_AHEAD_TASKS = Set.of(Task.IO);

    /** The suites that run when none is named. */
    public static final List<String> SUITES = Suites.defaultNames();
    /** The suites the network scenario runs when none is named. */
    public static final List<String> NETWORK_SUITES = List.of(ThroughputSuite.NAME, LatencySuite.NAME);
    /** Every suite that can be named; those not in {@link #SUITES} run only when named (or in full). */
    public static final List<String> ALL_SUITES = Suites.names();
    /** How every command that reruns a run or a case starts: from a fresh clone, compiling what it needs. */
    private static final String COMMAND = "./mvnw -pl benchmark-suite -am compile exec:java";

    /** Every option with its help text, in the order the usage text shows them. */
    public static final Map<String, String> OPTIONS = options(
            "backend", "a provider name, a comma list, or all (default sqlite)",
            "suite", "comma list of " + String.join(",", ALL_SUITES) + " (default all but chaos; full adds chaos)",
            "scenario", String.join(", ", Scenario.labels()) + " (default default; network: throughput and latency at"
                    + " RTT 0, 0.5 and 2 ms through a lab, root only)",
            "workers", "worker count(s), comma list, overriding the scenario's",
            "jobs", "jobs per drain, overriding the scenario's",
            "batch", "claim size and acknowledgement batch, comma list; 1 = one at a time",
            "rate", "open-loop rate(s) in jobs/s for latency and memory, comma list",
            "duration", "seconds of each latency and memory run",
            "task", "comma list of " + String.join(",", Task.labels()),
            "payloadBytes", "payload size of ordinary jobs (default " + Scenario.DEFAULT_PAYLOAD_BYTES + ")",
            "strategy", "one claim strategy instead of every strategy each backend declares",
            "processes", "consumer JVMs the workers are spread over (1 to 64, default 1: threads in this JVM)",
            "agents", "comma list of host:port of queuebench agents the consumers run on (one worker JVM each)",
            "lab", "hosts=N,rtt=Xms: N network namespaces with that round trip to this host, an agent in each, used"
                    + " as -Dagents (root only)",
            "cases", "chaos cases, comma list of " + String.join(",", ChaosCase.labels())
                    + " (default all but failover)",
            "postgres.url", "PostgreSQL URL (or QUEUEBENCH_POSTGRES_URL); any <backend>.<key> sets that provider key",
            "redis.url", "Redis URL (or QUEUEBENCH_REDIS_URL)",
            "sqlite.path", "SQLite file (default target/queuebench-sqlite/<stamp>.db)",
            "results", "output folder (default results)",
            "baseline", "an earlier run folder to compare with",
            "regressionThreshold", "share a figure may worsen against the baseline beyond the repetitions' spread"
                    + " before it is a regression (default " + DEFAULT_REGRESSION_THRESHOLD + ")",
            "targets", "a targets file, JSON or YAML",
            "strict", "true: a missed target or a regression against the baseline also exits 1",
            "verbose", "true: stack traces with errors",
            "virtualThreads", "true: workers on virtual threads",
            "claimAhead", "true or false: each handler loop claims its next batch while its last job runs (default:"
                    + " true for the io task's one-at-a-time drains, false elsewhere; chaos cases never)",
            "profile", "true: a JDK Flight Recorder file per case in the run folder, hot methods and allocation"
                    + " sites in the report");

    /** The option names. */
    public static final List<String> KEYS = List.copyOf(OPTIONS.keySet());

    public RunOptions {
        backends = List.copyOf(backends);
        suites = List.copyOf(suites);
        workers = List.copyOf(workers);
        batches = List.copyOf(batches);
        rates = List.copyOf(rates);
        tasks = List.copyOf(tasks);
        chaosCases = List.copyOf(chaosCases);
        backendSettings = backendSettings.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        given = Collections.unmodifiableMap(new TreeMap<>(given));
    }

    /**
     * Validates {@code options} (keys of {@link #KEYS} and {@code <backend>.<key>} for a provider on the class path;
     * others are ignored, as Maven passes its own properties) and reads {@code QUEUEBENCH_<BACKEND>_URL} from
     * {@code env} where no option gives the backend's url.
     *
     * @throws ConfigurationException naming the first bad option and what it accepts
     */
    public static RunOptions parse(Map<String, String> options, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = options.get(key);
            if (value != null && !value.isBlank()) {
                given.put(key, value.trim());
            }
        }
        List<QueueBackendProvider> providers = QueueBackends.providers();
        List<String> backends = backends(given.getOrDefault("backend", "sqlite"), providers);
        Map<String, Map<String, String>> settings =
                backendSettings(options, env, providers.stream().map(QueueBackendProvider::name).toList());
        settings.forEach((backend, values) -> QueueBackends.redacted(QueueBackends.provider(backend),
                BackendConfig.of(values)).forEach((key, shown) -> given.put(backend + "." + key, shown)));
        Optional<String> strategy = Optional.ofNullable(given.get("strategy"));
        strategy.ifPresent(s -> requireStrategy(s, backends, providers));
        Scenario scenario = Scenario.valueOf(words(given, "scenario", Scenario.labels(), false, List.of("default"))
                .getFirst().toUpperCase(Locale.ROOT));
        List<String> suites = words(given, "suite", ALL_SUITES, true, scenario == Scenario.FULL ? ALL_SUITES
                : scenario == Scenario.NETWORK ? NETWORK_SUITES : SUITES);
        bool(given, "profile"); // checked here, read by profile()
        bool(given, "claimAhead"); // checked here, read by claimAhead()
        agents(given); // checked here, read by agents()
        lab(given); // checked here, read by lab()
        if (given.containsKey("lab") && given.containsKey("agents")) {
            throw new ConfigurationException("option 'lab' starts its own agents; it cannot be given with 'agents'");
        }
        if (scenario == Scenario.NETWORK && (given.containsKey("agents")
                || lab(given).map(l -> l.rttMicros() > 0).orElse(false))) {
            throw new ConfigurationException("the network scenario makes its own lab and sets its round trip per case;"
                    + " it takes -Dlab=hosts=N at most, not 'agents' nor an rtt");
        }
        if (given.containsKey("cases") && !suites.contains(ChaosSuite.NAME)) {
            throw new ConfigurationException(
                    "option 'cases' chooses chaos cases; it needs the chaos suite (-Dsuite=chaos)");
        }
        return new RunOptions(
                backends,
                suites,
                scenario,
                integers(given, "workers", 1, 1024),
                Optional.ofNullable(given.containsKey("jobs") ? integer(given, "jobs", 0, 1, 100_000_000) : null),
                integers(given, "batch", 1, 10_000),
                integers(given, "rate", 1, 1_000_000),
                Optional.ofNullable(given.containsKey("duration") ? integer(given, "duration", 0, 1, 86_400) : null),
                words(given, "task", Task.labels(), true, scenario == Scenario.NETWORK ? List.of(Task.NOOP.label())
                        : List.of()).stream()
                        .map(t -> Task.valueOf(t.toUpperCase(Locale.ROOT)))
                        .toList(),
                integer(given, "payloadBytes", Scenario.DEFAULT_PAYLOAD_BYTES, Payload.HEADER_BYTES, 16 << 20),
                strategy,
                settings,
                Path.of(given.getOrDefault("results", "results")),
                Optional.ofNullable(given.get("baseline")).map(b -> existing("baseline", b, true)),
                decimal(given, "regressionThreshold", DEFAULT_REGRESSION_THRESHOLD, 0, 10),
                Optional.ofNullable(given.get("targets")).map(t -> existing("targets", t, false)),
                bool(given, "strict"),
                bool(given, "verbose"),
                bool(given, "virtualThreads"),
                given,
                integer(given, "processes", 1, 1, 64),
                words(given, "cases", ChaosCase.labels(), true, ChaosCase.defaultLabels()));
    }

    /** True when each case is recorded by JDK Flight Recorder ({@code -Dprofile=true}). */
    public boolean profile() {
        return bool(given, "profile");
    }

    /** {@code -DclaimAhead} as given, empty when not given (each drain then takes {@link #claimAheadFor}'s default). */
    public Optional<Boolean> claimAhead() {
        return given.containsKey("claimAhead") ? Optional.of(bool(given, "claimAhead")) : Optional.empty();
    }

    /**
     * Whether the handler loops of a case running {@code task} claim ahead ({@code QueueWorker.claimAhead}): as
     * {@code -DclaimAhead} says, else for the tasks of {@link #CLAIM_AHEAD_TASKS} only.
     */
    public boolean claimAheadFor(Task task) {
        return claimAhead().orElse(CLAIM_AHEAD_TASKS.contains(task));
    }

    /** The agents the consumers run on ({@code -Dagents=h1:7000,h2:7000}), in order; empty: on this host. */
    public List<String> agents() {
        return agents(given);
    }

    /** The lab of namespaces the run makes ({@code -Dlab=hosts=3,rtt=1ms}), if asked for. */
    public Optional<LabSpec> lab() {
        return lab(given);
    }

    private static Optional<LabSpec> lab(Map<String, String> given) {
        return Optional.ofNullable(given.get("lab")).map(LabSpec::parse);
    }

    /**
     * These options with the consumers on {@code addresses} (a lab's agents); the command that reproduces the run
     * still names the lab, not the addresses it happened to get.
     */
    public RunOptions withLabAgents(List<String> addresses) {
        Map<String, String> withAgents = new TreeMap<>(given);
        withAgents.put("agents", String.join(",", agents(Map.of("agents", String.join(",", addresses)))));
        return new RunOptions(backends, suites, scenario, workers, jobs, batches, rates, durationSeconds, tasks,
                payloadBytes, strategy, backendSettings, resultsDir, baseline, regressionThreshold, targetsFile, strict,
                verbose, virtualThreads, withAgents, processes, chaosCases);
    }

    private static List<String> agents(Map<String, String> given) {
        String value = given.get("agents");
        if (value == null) {
            return List.of();
        }
        List<String> agents = new ArrayList<>();
        for (String entry : value.split(",")) {
            String agent = entry.trim();
            int colon = agent.lastIndexOf(':');
            String port = colon < 0 ? "" : agent.substring(colon + 1);
            if (colon < 1 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                    || Integer.parseInt(port) > 65_535) {
                throw new ConfigurationException("option 'agents' takes host:port, comma separated"
                        + " (e.g. 10.0.0.5:7000,10.0.0.6:7000); got '" + agent + "'");
            }
            agents.add(agent);
        }
        return List.copyOf(agents);
    }

    /** Provider configuration keys given for one backend, e.g. {@code url} from {@code -Dpostgres.url}. */
    public Map<String, String> backendValues(String backend) {
        return backendSettings.getOrDefault(backend, Map.of());
    }

    /**
     * Options {@code <backend>.<key>} for the named providers ({@code postgres.url}, {@code sqlite.path},
     * {@code postgres.schema}, ...) by backend, plus {@code url} from {@code QUEUEBENCH_<BACKEND>_URL} where no
     * option gives it. The provider checks the keys when the backend is opened.
     */
    static Map<String, Map<String, String>> backendSettings(Map<String, String> options, Map<String, String> env,
            List<String> providerNames) {
        Map<String, Map<String, String>> settings = new TreeMap<>();
        options.forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot > 0 && providerNames.contains(key.substring(0, dot)) && value != null && !value.isBlank()) {
                settings.computeIfAbsent(key.substring(0, dot), k -> new TreeMap<>())
                        .put(key.substring(dot + 1), value.trim());
            }
        });
        for (String name : providerNames) {
            String url = env.get("QUEUEBENCH_" + name.toUpperCase(Locale.ROOT) + "_URL");
            if (url != null && !url.isBlank()) {
                settings.computeIfAbsent(name, k -> new TreeMap<>()).putIfAbsent("url", url.trim());
            }
        }
        return settings;
    }

    /** The scenario's values unless {@code -Dworkers} overrides them. */
    public List<Integer> workersOr(List<Integer> scenarioValues) {
        return workers.isEmpty() ? scenarioValues : workers;
    }

    /** One worker count for the suites that do not sweep workers. */
    public int singleWorkers() {
        return workers.isEmpty() ? Scenario.DEFAULT_WORKERS : workers.getFirst();
    }

    /** The command that reproduces this run from a fresh clone (secrets redacted). */
    public String reproduceCommand() {
        if (given.containsKey("lab") || scenario == Scenario.NETWORK) {
            Map<String, String> withoutLabAgents = new TreeMap<>(given);
            withoutLabAgents.remove("agents");
            return command(withoutLabAgents);
        }
        return command(given);
    }

    /** The command that runs the suite from a fresh clone with {@code properties} as {@code -D} options. */
    public static String command(Map<String, String> properties) {
        String props = properties.entrySet().stream()
                .map(e -> "-D" + e.getKey() + "=" + e.getValue())
                .map(arg -> arg.matches("[\\w.,=:/@*-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        return (COMMAND + " " + props).trim();
    }

    private static List<String> backends(String raw, List<QueueBackendProvider> providers) {
        List<String> names = providers.stream().map(QueueBackendProvider::name).toList();
        if (raw.equalsIgnoreCase("all")) {
            if (names.isEmpty()) {
                throw new ConfigurationException("option 'backend': no backend found on the class path");
            }
            return names;
        }
        List<String> chosen = new ArrayList<>();
        for (String name : split(raw)) {
            String match = names.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ConfigurationException("option 'backend': unknown backend '" + name
                            + "'; available: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ", or all"));
            if (!chosen.contains(match)) {
                chosen.add(match);
            }
        }
        return chosen;
    }

    private static void requireStrategy(String strategy, List<String> backends, List<QueueBackendProvider> providers) {
        for (QueueBackendProvider p : providers) {
            if (backends.contains(p.name()) && !p.strategies().contains(strategy)) {
                throw new ConfigurationException("option 'strategy': backend '" + p.name() + "' offers "
                        + p.strategies() + ", not '" + strategy + "'");
            }
        }
    }

    /** The allowed words {@code key} names (several, comma-separated, when {@code list}), or the defaults. */
    private static List<String> words(Map<String, String> given, String key, List<String> allowed, boolean list,
            List<String> defaults) {
        String raw = given.get(key);
        if (raw == null) {
            return defaults;
        }
        ConfigurationException bad = new ConfigurationException("option '" + key + "' accepts "
                + (list ? "a comma list of " : "one of ") + String.join(", ", allowed) + "; was '" + raw + "'");
        List<String> chosen = new ArrayList<>();
        for (String word : split(raw)) {
            String match = allowed.stream().filter(a -> a.equalsIgnoreCase(word)).findFirst().orElseThrow(() -> bad);
            if (!chosen.contains(match)) {
                chosen.add(match);
            }
        }
        if (chosen.isEmpty() || (!list && chosen.size() > 1)) {
            throw bad;
        }
        return chosen;
    }

    private static List<Integer> integers(Map<String, String> given, String key, int min, int max) {
        String raw = given.get(key);
        if (raw == null) {
            return List.of();
        }
        ConfigKey<Integer> typed = ConfigKey.integer(key, OPTIONS.get(key), min, min, max);
        List<Integer> values = new ArrayList<>();
        for (String part : split(raw)) {
            values.add(read(typed, part.replace("_", ""), raw, true));
        }
        return values;
    }

    private static int integer(Map<String, String> given, String key, int defaultValue, int min, int max) {
        String raw = given.get(key);
        return raw == null ? defaultValue
                : read(ConfigKey.integer(key, OPTIONS.get(key), defaultValue, min, max), raw.replace("_", ""), raw,
                        false);
    }

    private static double decimal(Map<String, String> given, String key, double defaultValue, double min,
            double max) {
        String raw = given.get(key);
        return raw == null ? defaultValue
                : read(ConfigKey.decimal(key, OPTIONS.get(key), defaultValue, min, max), raw, raw, false);
    }

    private static boolean bool(Map<String, String> given, String key) {
        String raw = given.get(key);
        return raw != null && read(ConfigKey.bool(key, OPTIONS.get(key), false), raw, raw, false);
    }

    /**
     * {@code value} read through the same typed parsing as a provider's keys; on a bad one, an error naming the
     * option, what it accepts and the whole {@code raw} value given.
     */
    private static <T> T read(ConfigKey<T> key, String value, String raw, boolean list) {
        try {
            return key.readIfPresent(Map.of(key.name(), value)).orElseThrow(() -> bad(key, raw, list));
        } catch (ConfigurationException e) {
            throw bad(key, raw, list);
        }
    }

    private static ConfigurationException bad(ConfigKey<?> key, String raw, boolean list) {
        return new ConfigurationException("option '" + key.name() + "' must be " + (list ? "a comma list, each " : "")
                + key.accepts() + "; was '" + raw + "'");
    }

    private static Path existing(String key, String raw, boolean directory) {
        Path path = Path.of(raw);
        boolean ok = directory ? Files.isDirectory(path) : Files.isRegularFile(path);
        if (!ok) {
            throw new ConfigurationException("option '" + key + "' must name an existing "
                    + (directory ? "run folder" : "file") + "; '" + raw + "' is not one");
        }
        return path;
    }

    private static Map<String, String> options(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<String> split(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
