package dev.queuebench.suite.lab;

import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers on this host's loopback that a backend's configuration names: every {@code host:port} with a loopback
 * host ({@code localhost}, {@code 127.x.y.z}, {@code [::1]}) in the value of a key whose name ends in {@code url}
 * (the value given, else the key's default). The lab relays exactly these ports into its namespaces, so it needs to
 * know no backend: a file-based backend (SQLite) names none and is shared through the file system.
 */
public final class LoopbackServers {
    private static final Pattern LOOPBACK = Pattern.compile(
            "(?:^|[/@,;=])(localhost|127(?:\\.[0-9]{1,3}){3}|\\[::1\\])(?::([0-9]{1,5}))?", Pattern.CASE_INSENSITIVE);

    private LoopbackServers() {}

    /**
     * The loopback {@code host:port} pairs of one backend's {@code url} keys, as 127.x addresses ({@code localhost}
     * and {@code ::1} as 127.0.0.1, where the relays listen). A loopback host without a port is refused.
     *
     * @throws ConfigurationException naming the key when a loopback URL has no port, which the lab cannot relay
     */
    public static List<InetSocketAddress> of(String backend, Map<String, String> given, Collection<ConfigKey<?>> keys) {
        return keys.stream().filter(k -> k.name().toLowerCase(Locale.ROOT).endsWith("url"))
                .flatMap(k -> addresses(backend + "." + k.name(), given.containsKey(k.name()) ? given.get(k.name())
                        : k.defaultValue().map(String::valueOf).orElse("")).stream())
                .distinct().toList();
    }

    /** The loopback {@code host:port} pairs in one value ({@code key} names it in the error). */
    static List<InetSocketAddress> addresses(String key, String value) {
        Matcher m = LOOPBACK.matcher(value);
        List<InetSocketAddress> found = new ArrayList<>();
        while (m.find()) {
            if (m.group(2) == null) {
                throw new ConfigurationException("option 'lab' relays the loopback servers the configuration names,"
                        + " with their ports: " + key + " names " + m.group(1) + " without a port; give it (e.g."
                        + " " + m.group(1) + ":5432)");
            }
            String host = m.group(1).startsWith("127.") ? m.group(1) : "127.0.0.1";
            found.add(InetSocketAddress.createUnresolved(host, Integer.parseInt(m.group(2))));
        }
        return found;
    }
}
