package dev.queuebench.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A backend's {@code url} option split into its parts:
 * {@code scheme://[user[:password]@]host[:port][,host[:port]...][/path][?name=value&...][#fragment]}.
 * User, password, path, parameters and fragment are percent-decoded ({@code +} stays a plus). {@link #toString()}
 * and {@link #redacted()} never show the password, and no error about a URL ever shows it either.
 *
 * @param scheme     lower-case
 * @param user       {@code null} when the URL has no user-info part
 * @param password   {@code null} when the user-info part has no {@code :password}
 * @param servers    every host and port, in the URL's order (the form's default port where none is written)
 * @param path       with its leading {@code /}; empty when the URL has none
 * @param parameters the query string's name-value pairs in their order; a name without {@code =} has the value ""
 * @param fragment   what follows {@code #}, {@code null} when nothing does
 */
public record ServerUrl(String scheme, String user, String password, List<Server> servers, String path,
        Map<String, String> parameters, String fragment) {

    /** The name of the option every backend reads its server URL from. */
    public static final String OPTION = "url";
    /** The option that overrides the URL's user, for a backend that offers one beside {@value #OPTION}. */
    public static final ConfigKey<String> USER = ConfigKey.text("user", "user name (overrides the URL's)", null);
    /** The option that overrides the URL's password, for a backend that offers one; secret, so always redacted. */
    public static final ConfigKey<String> PASSWORD =
            ConfigKey.text("password", "password (overrides the URL's)", null).secret();

    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

    /**
     * What one backend accepts, for parsing and for its messages.
     *
     * @param kind        how messages name a URL of this form, e.g. {@code "a NATS URL"}
     * @param schemes     the accepted schemes, lower-case
     * @param defaultPort the port of a server written without one
     * @param usage       every accepted form, e.g. {@code "nats://host:port or nats://user:password@host:port"}
     */
    public record Form(String kind, List<String> schemes, int defaultPort, String usage) {
        public Form {
            schemes = List.copyOf(schemes);
        }
    }

    /** One host and port of the URL. */
    public record Server(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public ServerUrl {
        servers = List.copyOf(servers);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses {@code raw} as a URL of {@code form}; anything else throws a {@link ConfigurationException} naming the
     * option {@value #OPTION}, the accepted forms and the URL with any password masked.
     */
    public static ServerUrl parse(String raw, Form form) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid(raw, form, "it is not a valid URI (percent-encode special characters in the password)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!form.schemes().contains(scheme)) {
            throw invalid(raw, form, "the scheme must be " + String.join(" or ", form.schemes()));
        }
        if (uri.getRawAuthority() == null) {
            throw invalid(raw, form, "it names no server after " + scheme + "://");
        }
        String userInfo;
        List<Server> servers = new ArrayList<>();
        if (uri.getHost() != null) {
            userInfo = uri.getRawUserInfo();
            servers.add(new Server(uri.getHost(), port(uri.getPort(), form)));
        } else {
            String authority = uri.getRawAuthority();
            int at = authority.lastIndexOf('@');
            userInfo = at < 0 ? null : authority.substring(0, at);
            for (String address : authority.substring(at + 1).split(",", -1)) {
                var hostPort = HOST_PORT.matcher(address);
                if (!hostPort.matches()) {
                    throw invalid(raw, form, "it names no host or a bad port");
                }
                servers.add(new Server(hostPort.group(1),
                        port(hostPort.group(2) == null ? -1 : Integer.parseInt(hostPort.group(2)), form)));
            }
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    parameters.put(decode(equals < 0 ? pair : pair.substring(0, equals)),
                            equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            }
        }
        return new ServerUrl(scheme, user, password, servers, uri.getRawPath() == null ? "" : decode(uri.getRawPath()),
                parameters, uri.getRawFragment() == null ? null : decode(uri.getRawFragment()));
    }

    /** The one server of a URL that may name only one; several throw, naming the option and {@code why}. */
    public Server onlyServer(String raw, Form form, String why) {
        if (servers.size() != 1) {
            throw invalid(raw, form, why);
        }
        return servers.getFirst();
    }

    /**
     * The error for a URL of the wrong form: {@code 'url' is not <kind>: '<url, password masked>'; <why>; use
     * <usage>}. The URL is masked even when it is too broken to parse.
     */
    public static ConfigurationException invalid(String raw, Form form, String why) {
        return new ConfigurationException("'" + OPTION + "' is not " + form.kind() + ": '" + redact(raw) + "'; "
                + why + "; use " + form.usage());
    }

    /** The URL with the password masked, safe for messages and reports: the parameters named like secrets too. */
    public String redacted() {
        String userInfo = user == null ? "" : user + (password == null ? "" : ":" + Secrets.MASK) + "@";
        String query = parameters.isEmpty() ? "" : "?" + parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return Secrets.redact(scheme + "://" + userInfo
                + servers.stream().map(Server::toString).collect(Collectors.joining(",")) + path + query
                + (fragment == null ? "" : "#" + fragment));
    }

    @Override
    public String toString() {
        return redacted();
    }

    /**
     * {@code raw} with its user-info masked, even when it does not parse: all of it when it has no colon (it may be a
     * password written alone), else what follows the first colon.
     */
    private static String redact(String raw) {
        int scheme = raw.indexOf("://");
        int at = raw.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return Secrets.redact(raw);
        }
        String userInfo = raw.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        return Secrets.redact(raw.substring(0, scheme + 3)
                + (colon < 0 ? Secrets.MASK : userInfo.substring(0, colon) + ":" + Secrets.MASK) + raw.substring(at));
    }

    private static int port(int port, Form form) {
        if (port == 0 || port > 65535) {
            throw new ConfigurationException("'" + OPTION + "' has port '" + port + "'; a port is 1 to 65535; use "
                    + form.usage());
        }
        return port == -1 ? form.defaultPort() : port;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
