package dev.queuebench.redis;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server's settings mean for the jobs it holds, read once when a backend opens: the durability to
 * declare (from {@code appendonly}, {@code appendfsync}, {@code save}, {@code maxmemory-policy}) and the facts
 * reports show. On a cluster these are the settings of the node Lettuce asks, assumed alike on every node.
 *
 * @param info server facts for reports; never a secret
 */
record ServerSettings(Durability durability, Map<String, String> info) {
    private static final System.Logger LOG = System.getLogger(ServerSettings.class.getName());

    /**
     * Reads the settings, logs once what loses jobs, and rejects a cluster node opened without
     * {@code cluster=true}.
     */
    static ServerSettings read(RedisConnections connections, RedisConfig config) {
        RedisClusterAsyncCommands<String, byte[]> commands = connections.commands();
        Map<String, String> server = infoFields(connections.await(commands.info("server")));
        Map<String, String> clusterInfo = infoFields(connections.await(commands.info("cluster")));
        if ("1".equals(clusterInfo.get("cluster_enabled")) && !config.cluster()) {
            throw new ConfigurationException("Redis at " + config.address() + " is a cluster node: set '"
                    + RedisConfig.CLUSTER + "' to true");
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("server_version", server.getOrDefault("redis_version", "unknown"));
        info.put("redis_mode", server.getOrDefault("redis_mode", "unknown"));
        info.put("address", config.address());
        info.put("tls", Boolean.toString(config.tls()));

        Map<String, String> settings;
        try {
            settings = connections.await(commands.configGet("appendonly", "appendfsync", "save", "maxmemory-policy",
                    "maxmemory"));
        } catch (RedisCommandExecutionException e) {
            LOG.log(Level.WARNING, "Redis at {0} does not allow CONFIG GET ({1}): persistence unknown, declaring "
                    + "durability VOLATILE", config.address(), e.getMessage());
            info.put("durability", Durability.VOLATILE.name());
            info.put("config_readable", "false");
            return new ServerSettings(Durability.VOLATILE, Map.copyOf(info));
        }
        settings.forEach((key, value) -> info.put(key.replace('-', '_'), value));
        Durability durability = durability(settings);
        String policy = settings.getOrDefault("maxmemory-policy", "noeviction");
        if (!policy.equals("noeviction")) {
            LOG.log(Level.WARNING, "Redis at {0} has maxmemory-policy {1}: under memory pressure it may evict "
                    + "job keys, and an evicted job is a lost job; use noeviction", config.address(), policy);
        }
        if (durability == Durability.VOLATILE) {
            LOG.log(Level.DEBUG, "Redis at {0} runs with appendonly={1}, save=\"{2}\": acknowledged jobs can be lost "
                    + "on a restart, so the backend declares durability VOLATILE", config.address(),
                    settings.get("appendonly"), settings.get("save"));
        }
        info.put("durability", durability.name());
        return new ServerSettings(durability, Map.copyOf(info));
    }

    /**
     * VOLATILE without an append-only file (RDB snapshots alone lose what came after the last one), with
     * {@code appendfsync no} (the OS may hold writes for ~30 s), or when an {@code allkeys-*} policy may evict
     * jobs; CRASH_SAFE with {@code appendfsync everysec}; DURABLE with {@code appendfsync always}.
     */
    static Durability durability(Map<String, String> settings) {
        boolean evicts = settings.getOrDefault("maxmemory-policy", "noeviction").startsWith("allkeys-");
        if (evicts || !"yes".equals(settings.get("appendonly"))) {
            return Durability.VOLATILE;
        }
        return switch (settings.getOrDefault("appendfsync", "everysec")) {
            case "always" -> Durability.DURABLE;
            case "everysec" -> Durability.CRASH_SAFE;
            default -> Durability.VOLATILE;
        };
    }

    /** The {@code name:value} lines of an INFO answer. */
    static Map<String, String> infoFields(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }
}
