package dev.queuebench.suite.lab;

import dev.queuebench.api.ConfigurationException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code -Dlab=hosts=N,rtt=X} asks for: {@code hosts} namespaces (1 to {@link #MAX_HOSTS}), each with a round
 * trip of {@code rttMicros} to the host (0 to 1 s; {@code rtt} in {@code ms} or {@code us}, default 0).
 */
public record LabSpec(int hosts, long rttMicros) {
    /** Most namespaces one lab makes. */
    public static final int MAX_HOSTS = 16;
    private static final long MAX_RTT_MICROS = 1_000_000;
    private static final Pattern RTT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|us)?");
    private static final String ACCEPTS = "option 'lab' takes hosts=N (1 to " + MAX_HOSTS + ") and rtt=<time>"
            + " (0 to 1000ms, e.g. 1ms, 0.5ms, 500us), comma separated, e.g. hosts=3,rtt=1ms";

    public LabSpec {
        if (hosts < 1 || hosts > MAX_HOSTS || rttMicros < 0 || rttMicros > MAX_RTT_MICROS) {
            throw new ConfigurationException(ACCEPTS + "; got hosts=" + hosts + ", rtt=" + rttMicros + "us");
        }
    }

    /**
     * Reads {@code hosts=3,rtt=1ms}.
     *
     * @throws ConfigurationException naming the option 'lab' and what it accepts, with the part that is wrong
     */
    public static LabSpec parse(String raw) {
        Integer hosts = null;
        long rtt = 0;
        for (String part : raw.split(",")) {
            String[] kv = part.trim().split("=", 2);
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            String value = kv.length == 2 ? kv[1].trim().toLowerCase(Locale.ROOT) : "";
            if (key.equals("hosts") && value.matches("[0-9]{1,3}")) {
                hosts = Integer.parseInt(value);
            } else if (key.equals("rtt") && RTT.matcher(value).matches()) {
                rtt = micros(value);
            } else {
                throw new ConfigurationException(ACCEPTS + "; '" + part.trim() + "' in '" + raw + "' is not one");
            }
        }
        if (hosts == null) {
            throw new ConfigurationException(ACCEPTS + "; hosts=N is missing in '" + raw + "'");
        }
        return new LabSpec(hosts, rtt);
    }

    /** The round trip in milliseconds. */
    public double rttMillis() {
        return rttMicros / 1e3;
    }

    /** As the option is written, e.g. {@code hosts=3,rtt=1ms}. */
    public String label() {
        return "hosts=" + hosts + ",rtt=" + String.format(Locale.ROOT, "%sms",
                rttMicros % 1000 == 0 ? String.valueOf(rttMicros / 1000) : String.valueOf(rttMicros / 1e3));
    }

    private static long micros(String value) {
        Matcher m = RTT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(value);
        }
        double number = Double.parseDouble(m.group(1));
        boolean us = "us".equals(m.group(2));
        double micros = us ? number : number * 1000;
        if (micros > MAX_RTT_MICROS) {
            throw new ConfigurationException(ACCEPTS + "; rtt=" + value + " is above 1000ms");
        }
        return Math.round(micros);
    }
}
