package dev.queuebench.redis;

import dev.queuebench.api.ResourceText;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The backend's Lua scripts, read once from the resources next to this class (each is {@code common.lua} followed
 * by its own file), loaded with SCRIPT LOAD and called with EVALSHA; a NOSCRIPT answer (after SCRIPT FLUSH, a
 * restart or a failover) loads the script again and repeats the call once.
 */
final class Scripts {
    /** One script per state change; the file header is its specification. */
    enum Script {
        ENQUEUE("enqueue.lua", true),
        CLAIM("claim.lua", true),
        COMPLETE("complete.lua", true),
        FAIL("fail.lua", true),
        EXTEND("extend.lua", true),
        REQUEUE_DEAD("requeue_dead.lua", true),
        PURGE("purge.lua", true),
        STATS("stats.lua", false),
        DEAD_LETTERS("dead_letters.lua", false);

        private final String file;
        /** True when the script may change data: with {@code waitReplicas} its call waits for replicas. */
        private final boolean writes;

        Script(String file, boolean writes) {
            this.file = file;
            this.writes = writes;
        }
    }

    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final ReplicaWait replicaWait;
    private final Map<Script, String> sources = new EnumMap<>(Script.class);
    private final Map<Script, String> digests = new EnumMap<>(Script.class);

    /**
     * Reads every script from the class path; nothing is sent to Redis yet. Writing scripts' calls complete only once
     * {@code replicaWait} has its replicas' acknowledgement.
     */
    Scripts(RedisClusterAsyncCommands<String, byte[]> commands, ReplicaWait replicaWait) {
        this.commands = commands;
        this.replicaWait = replicaWait;
        String common = resource("common.lua");
        for (Script script : Script.values()) {
            String source = common + "\n" + resource(script.file);
            sources.put(script, source);
            digests.put(script, sha1(source));
        }
    }

    /** Loads every script into Redis (on every node of a cluster); completes when all are loaded. */
    CompletableFuture<Void> loadAll() {
        return CompletableFuture.allOf(sources.values().stream()
                .map(source -> commands.scriptLoad(source).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Calls the script with the queue's KEYS and ARGV = [key base, args...]; reloads it once on NOSCRIPT. A writing
     * script's answer comes once the replicas {@link ReplicaWait} asks for have acknowledged it.
     */
    CompletableFuture<List<Object>> run(Script script, Keys keys, byte[]... args) {
        byte[][] argv = new byte[args.length + 1][];
        argv[0] = keys.base();
        System.arraycopy(args, 0, argv, 1, args.length);
        CompletableFuture<List<Object>> answer = evalsha(script, keys, argv).toCompletableFuture()
                .exceptionallyCompose(failure -> {
                    if (unwrap(failure) instanceof RedisNoScriptException) {
                        return commands.scriptLoad(sources.get(script))
                                .thenCompose(sha -> evalsha(script, keys, argv));
                    }
                    return CompletableFuture.failedFuture(failure);
                });
        return script.writes ? replicaWait.after(answer, commands) : answer;
    }

    private CompletionStage<List<Object>> evalsha(Script script, Keys keys, byte[][] argv) {
        return commands.evalsha(digests.get(script), ScriptOutputType.MULTI, keys.all(), argv);
    }

    /** A number as a script argument. */
    static byte[] arg(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    /** Text as a script argument. */
    static byte[] arg(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A Lua number of a script's answer. */
    static long number(Object value) {
        return (Long) value;
    }

    /** A Lua string of a script's answer. */
    static String text(Object value) {
        return value == null ? null : new String((byte[]) value, StandardCharsets.UTF_8);
    }

    /** The failure inside CompletionException wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String resource(String file) {
        return ResourceText.read(Scripts.class, file);
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }
}
