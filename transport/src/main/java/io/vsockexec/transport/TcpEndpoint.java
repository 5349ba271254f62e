package io.vsockexec.transport;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A TCP endpoint, {@code tcp://HOST:PORT}. TCP carries no authentication, so listening on anything
 * but a loopback address has to be asked for explicitly (see {@link ListenOptions}).
 *
 * @param host a host name, an IPv4 address, or an IPv6 address (without brackets)
 * @param port 0 to 65535; 0 when listening lets the kernel pick a free port
 */
public record TcpEndpoint(String host, int port) implements Endpoint {
    private static final int MAX_PORT = 65535;
    private static final int MAX_NAME = 253;
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    /**
     * @throws IllegalArgumentException for a malformed host or a port outside 0 to 65535
     */
    public TcpEndpoint {
        checkHost(host);
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0 to " + MAX_PORT + ", is " + port);
        }
    }

    private static void checkHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (host.indexOf(':') >= 0) {
            checkIpv6(host);
        } else if (DIGITS_AND_DOTS.matcher(host).matches()) {
            // Without this, "999.1.1.1" or "127.1" would pass as names and fail, or worse, resolve
            // to something unexpected (inet_aton reads "127.1" as 127.0.0.1) only when dialed.
            if (!IPV4.matcher(host).matches()) {
                throw new IllegalArgumentException("not an IPv4 address (expected four numbers 0 to 255): " + host);
            }
        } else {
            checkName(host);
        }
    }

    private static void checkIpv6(String host) {
        // ofLiteral would also take "[::1]"; brackets belong to the text form, not to the host.
        if (host.startsWith("[")) {
            throw new IllegalArgumentException("IPv6 address without brackets expected: " + host);
        }
        try {
            Inet6Address.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + Text.quote(host), e);
        }
    }

    private static void checkName(String host) {
        if (host.length() > MAX_NAME) {
            throw new IllegalArgumentException("host name must be at most " + MAX_NAME + " characters, is "
                    + host.length());
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a host name (letters, digits, '-' and '_' between dots): "
                        + Text.quote(host));
            }
        }
    }

    /** The same host with another port, e.g. the one the kernel chose. */
    public TcpEndpoint withPort(int newPort) {
        return new TcpEndpoint(host, newPort);
    }

    /** {@code tcp://HOST:PORT}, with an IPv6 HOST in brackets. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "tcp://" + h + ":" + port;
    }
}
