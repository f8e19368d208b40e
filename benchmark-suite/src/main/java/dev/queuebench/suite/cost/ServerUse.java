package dev.queuebench.suite.cost;

/**
 * What a backend's server processes used over one repetition of a case: CPU time (user + system) and their
 * resident memory at its end. When they could not be read, both are null and {@code reason} says why.
 *
 * @param covers which processes were read, as the backend's {@code ServerProcesses} describes them
 */
public record ServerUse(Double cpuMs, Long rssBytes, String covers, String reason) {
    /** Figures that could not be read, for {@code reason}. */
    public static ServerUse unavailable(String reason) {
        return new ServerUse(null, null, null, reason);
    }
}
