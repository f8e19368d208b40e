package dev.queuebench.suite.cost;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.ServerProcesses;
import dev.queuebench.faults.ServerProcesses.Pids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the CPU time and resident memory of a backend's server processes from {@code /proc}, by the process ids its
 * {@link ServerProcesses} names. The ids are asked for again at each reading (a session may start mid-case); a
 * process that started after the first reading counts its whole CPU time. Only meaningful when the server runs on
 * this host: a process id that is not a process of the expected name here makes the figures unavailable.
 */
public final class ServerProcessMeter {
    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, fixed at 100 for user space on Linux). */
    private static final int TICKS_PER_SECOND = 100;
    private final Optional<ServerProcesses> processes;
    private final BackendConfig config;

    /** CPU ticks by process id at one moment, or why they could not be read. */
    public record Reading(Map<Long, Long> ticks, long rssBytes, String covers, String reason) {}

    private ServerProcessMeter(Optional<ServerProcesses> processes, BackendConfig config) {
        this.processes = processes;
        this.config = config;
    }

    /** A meter for the server of {@code backend} opened with {@code config}. */
    public static ServerProcessMeter of(String backend, BackendConfig config) {
        return new ServerProcessMeter(ServerProcesses.of(backend), config);
    }

    /** The server processes' CPU ticks and resident memory now. */
    public Reading read() {
        if (processes.isEmpty()) {
            return new Reading(Map.of(), 0, null, "no server process to read: the backend runs in this JVM (its work"
                    + " is in client_cpu_ms) or offers no ServerProcesses inspection");
        }
        Pids pids;
        try {
            pids = processes.get().serverPids(config);
        } catch (RuntimeException e) {
            return new Reading(Map.of(), 0, null, "the server's processes could not be listed: " + e.getMessage());
        }
        Map<Long, Long> ticks = new HashMap<>();
        long rss = 0;
        for (long pid : pids.pids()) {
            Path proc = Path.of("/proc", Long.toString(pid));
            try {
                String command = Files.readString(proc.resolve("comm")).trim();
                if (!command.equals(pids.command())) {
                    return new Reading(Map.of(), 0, null, notHere(pids, "pid " + pid + " is " + command + " here"));
                }
                ticks.put(pid, cpuTicks(Files.readString(proc.resolve("stat"))));
                rss += rssBytes(Files.readAllLines(proc.resolve("status")));
            } catch (IOException | RuntimeException e) {
                // the process ended since it was listed (a closed session): it no longer counts
            }
        }
        if (ticks.isEmpty()) {
            return new Reading(Map.of(), 0, null, notHere(pids, "none of " + pids.pids() + " is a process here"));
        }
        return new Reading(ticks, rss, pids.covers(), null);
    }

    /** What the server processes used between {@code start} and {@code end}. */
    public static ServerUse between(Reading start, Reading end) {
        String reason = start.reason() != null ? start.reason() : end.reason();
        if (reason != null) {
            return ServerUse.unavailable(reason);
        }
        long ticks = 0;
        for (Map.Entry<Long, Long> e : end.ticks().entrySet()) {
            ticks += e.getValue() - start.ticks().getOrDefault(e.getKey(), 0L);
        }
        return new ServerUse(ticks * 1000.0 / TICKS_PER_SECOND, end.rssBytes(), end.covers(), null);
    }

    private static String notHere(Pids pids, String why) {
        return "the server is not on this host (" + why + ", expected " + pids.command() + ")";
    }

    /** utime + stime, fields 14 and 15 of {@code /proc/<pid>/stat}, counted after the command in parentheses. */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssBytes(List<String> status) {
        return status.stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0);
    }
}
