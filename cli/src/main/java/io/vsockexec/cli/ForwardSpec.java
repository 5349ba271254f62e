package io.vsockexec.cli;

import io.vsockexec.transport.TcpEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * One mapping of {@code vsockexec port-forward}, written as ssh's {@code -L} and kubectl's
 * {@code port-forward} write theirs: {@code [ADDR:]LOCAL_PORT:[REMOTE_HOST:]REMOTE_PORT}.
 *
 * <table>
 *   <caption>Forms</caption>
 *   <tr><th>text</th><th>listens on</th><th>connects to, in the VM</th></tr>
 *   <tr><td>{@code 8080}</td><td>127.0.0.1:8080</td><td>127.0.0.1:8080 (kubectl's form)</td></tr>
 *   <tr><td>{@code 8080:80}</td><td>127.0.0.1:8080</td><td>127.0.0.1:80</td></tr>
 *   <tr><td>{@code :80}, {@code 0:80}</td><td>127.0.0.1 and a free port</td><td>127.0.0.1:80</td></tr>
 *   <tr><td>{@code 8080:db:5432}</td><td>127.0.0.1:8080</td><td>db:5432 (ssh's form)</td></tr>
 *   <tr><td>{@code 0.0.0.0:8080:80}</td><td>every IPv4 interface, 8080</td><td>127.0.0.1:80</td></tr>
 *   <tr><td>{@code [::1]:8080:[::1]:80}</td><td>::1, 8080</td><td>::1, 80</td></tr>
 * </table>
 *
 * <p>Three fields are {@code LOCAL_PORT:REMOTE_HOST:REMOTE_PORT} when the first is a number (or
 * empty, for a free port), as ssh reads them, and {@code ADDR:LOCAL_PORT:REMOTE_PORT} otherwise. IPv6 addresses are written in
 * brackets, as ssh takes them; {@code *} is {@code 0.0.0.0}.
 *
 * @param bindHost the local address to listen on; an IPv6 address without brackets
 * @param localPort the local port, 0 for one the kernel picks
 * @param remoteHost the host the agent connects to, as the VM resolves it; null for the agent's
 *     default, {@value #DEFAULT_REMOTE_HOST}
 * @param remotePort the port the agent connects to, 1 to 65535
 */
record ForwardSpec(String bindHost, int localPort, String remoteHost, int remotePort) {
    /** The local address when the mapping names none: loopback only, as ssh and kubectl listen. */
    static final String DEFAULT_BIND_HOST = "127.0.0.1";
    /** The host an agent connects to when the request names none (the Go agent's default). */
    static final String DEFAULT_REMOTE_HOST = "127.0.0.1";
    /** The syntax, for messages and help. */
    static final String FORM = "[ADDR:]LOCAL_PORT:[REMOTE_HOST:]REMOTE_PORT";

    private static final int MAX_PORT = 65535;

    /**
     * The mapping {@code text} describes.
     *
     * @throws IllegalArgumentException quoting the text and naming its bad part
     */
    static ForwardSpec parse(String text) {
        try {
            return of(fields(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid forward '" + text + "': " + e.getMessage(), e);
        }
    }

    private static ForwardSpec of(List<String> f) {
        return switch (f.size()) {
            case 1 -> mapping(null, f.get(0), null, f.get(0));
            case 2 -> mapping(null, f.get(0), null, f.get(1));
            case 3 -> f.get(0).isEmpty() || isNumber(f.get(0)) ? mapping(null, f.get(0), f.get(1), f.get(2))
                    : mapping(f.get(0), f.get(1), null, f.get(2));
            case 4 -> mapping(f.get(0), f.get(1), f.get(2), f.get(3));
            default -> throw new IllegalArgumentException("expected " + FORM + ", with IPv6 addresses in brackets"
                    + " ([::1])");
        };
    }

    private static ForwardSpec mapping(String bind, String local, String host, String remote) {
        int remotePort = port(remote, "remote port", 1);
        int localPort = local.isEmpty() ? 0 : port(local, "local port", 0);
        return new ForwardSpec(bindHost(bind), localPort, remoteHost(host, remotePort), remotePort);
    }

    /** {@code HOST:PORT} where this mapping listens, once bound to {@code port}. */
    String listenText(int port) {
        return hostPort(bindHost, port);
    }

    /** {@code HOST:PORT} in the VM. */
    String remoteText() {
        return hostPort(remoteHost == null ? DEFAULT_REMOTE_HOST : remoteHost, remotePort);
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String bindHost(String text) {
        if (text == null) {
            return DEFAULT_BIND_HOST;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the local address is empty: give one, e.g. 127.0.0.1, or 0.0.0.0"
                    + " for every interface");
        }
        String host = text.equals("*") ? "0.0.0.0" : text;
        checkHost(host, "local address");
        return host;
    }

    private static String remoteHost(String text, int port) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the remote host is empty: give one, or leave it out for "
                    + DEFAULT_REMOTE_HOST);
        }
        checkHost(text, "remote host");
        return text;
    }

    /** The endpoint parser's rules for a host: a name, an IPv4 address or an IPv6 address. */
    private static void checkHost(String host, String what) {
        try {
            new TcpEndpoint(host, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + host + "': " + e.getMessage(), e);
        }
    }

    private static int port(String text, String what, int min) {
        if (!isNumber(text) || text.length() > 5 || Integer.parseInt(text) > MAX_PORT || Integer.parseInt(text) < min) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a port: expected " + min + " to "
                    + MAX_PORT + (min == 0 ? " (0 picks a free port)" : ""));
        }
        return Integer.parseInt(text);
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The fields between colons; a field in brackets may hold colons (an IPv6 address) and loses its brackets. */
    private static List<String> fields(String text) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            int end;
            if (i < text.length() && text.charAt(i) == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'[' without ']'");
                }
                fields.add(text.substring(i + 1, close));
                end = close + 1;
                if (end < text.length() && text.charAt(end) != ':') {
                    throw new IllegalArgumentException("expected ':' after ']'");
                }
            } else {
                end = text.indexOf(':', i);
                end = end < 0 ? text.length() : end;
                fields.add(text.substring(i, end));
            }
            if (end >= text.length()) {
                return fields;
            }
            i = end + 1;
        }
    }
}
