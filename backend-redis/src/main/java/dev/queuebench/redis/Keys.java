package dev.queuebench.redis;

import java.nio.charset.StandardCharsets;

/**
 * The key names of one queue. All share the hash tag {@code {prefix:queue}}, so every script touches one slot and
 * the backend runs unchanged on Redis Cluster. The layout is described in {@code common.lua} and the README.
 *
 * @param all  the KEYS every script receives: ready, scheduled, leased, dead, seq
 * @param base {@code {prefix:queue}}, every script's ARGV[1]
 */
record Keys(String queue, String[] all, byte[] base) {
    /** The keys of a queue whose name was already checked by {@code QueueNames.requireValid}. */
    static Keys of(String prefix, String queue) {
        String base = "{" + prefix + ":" + queue + "}";
        String[] all = {base + ":ready", base + ":scheduled", base + ":leased", base + ":dead", base + ":seq"};
        return new Keys(queue, all, base.getBytes(StandardCharsets.UTF_8));
    }

    String ready() {
        return all[0];
    }

    String leased() {
        return all[2];
    }

    /** The hash of one job. */
    String job(String id) {
        return baseText() + ":job:" + id;
    }

    /** The pub/sub channel on which enqueues, retries and requeues announce jobs. */
    String wakeChannel() {
        return baseText() + ":wake";
    }

    /** The glob matching every key of every queue under a prefix (for SCAN). */
    static String pattern(String prefix) {
        return "{" + prefix + ":*";
    }

    private String baseText() {
        return new String(base, StandardCharsets.UTF_8);
    }
}
