package dev.queuebench.api;

import java.util.regex.Pattern;

/** Hides passwords in URLs, key-value strings and configuration entries before anything is logged or written. */
public final class Secrets {
    public static final String MASK = "****";

    /** {@code scheme://user:secret@host} and {@code scheme://:secret@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@\\s]+@");
    /** {@code password=secret} in a JDBC query string or similar. */
    private static final Pattern PARAM_PASSWORD =
            Pattern.compile("(?i)((?:password|passwd|pwd|secret|token)=)[^&;\\s]+");

    private Secrets() {}

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String once = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
        return PARAM_PASSWORD.matcher(once).replaceAll("$1" + MASK);
    }
}
