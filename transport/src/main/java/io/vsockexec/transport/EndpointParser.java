package io.vsockexec.transport;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The endpoint parser behind {@link Endpoint#parse}. It splits the text and reads numbers; range
 * and path rules live in the record constructors, so a record built in code obeys the same rules.
 */
final class EndpointParser {
    private static final String SCHEMES = "vsock, hybrid, unix or tcp";
    private static final String VSOCK = "expected vsock://CID:PORT (CID: a number, any, local or host)";
    private static final String HYBRID = "expected hybrid:///ABSOLUTE/PATH:PORT";
    private static final String UNIX = "expected unix:///ABSOLUTE/PATH";
    private static final String TCP = "expected tcp://HOST:PORT (an IPv6 HOST in brackets)";

    private EndpointParser() {}

    static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        int separator = text.indexOf("://");
        if (separator < 0) {
            throw new InvalidEndpointException(text, "expected SCHEME://ADDRESS with a scheme of " + SCHEMES);
        }
        String scheme = text.substring(0, separator);
        String rest = text.substring(separator + 3);
        return switch (scheme) {
            case "vsock" -> vsock(text, rest);
            case "hybrid" -> hybrid(text, rest);
            case "unix" -> unix(text, rest);
            case "tcp" -> tcp(text, rest);
            default -> throw new InvalidEndpointException(text,
                    "unknown scheme " + Text.quote(scheme) + "; expected " + SCHEMES);
        };
    }

    private static Endpoint vsock(String text, String rest) {
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new InvalidEndpointException(text, "missing port; " + VSOCK);
        }
        long cid = cid(text, rest.substring(0, colon));
        long port = number(text, "port", rest.substring(colon + 1), VsockEndpoint.MAX, VSOCK);
        return build(text, VSOCK, () -> new VsockEndpoint(cid, port));
    }

    private static long cid(String text, String token) {
        return switch (token) {
            case "any" -> VsockEndpoint.CID_ANY;
            case "local" -> VsockEndpoint.CID_LOCAL;
            case "host" -> VsockEndpoint.CID_HOST;
            default -> number(text, "CID", token, VsockEndpoint.MAX, VSOCK);
        };
    }

    private static Endpoint hybrid(String text, String rest) {
        if (!rest.startsWith("/")) {
            throw new InvalidEndpointException(text, "the socket path must be absolute; " + HYBRID);
        }
        // The port follows the last colon, so the path itself may contain colons.
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidEndpointException(text, "missing port; " + HYBRID);
        }
        Path socket = path(text, rest.substring(0, colon), HYBRID);
        long port = number(text, "port", rest.substring(colon + 1), VsockEndpoint.MAX, HYBRID);
        return build(text, HYBRID, () -> new HybridEndpoint(socket, port));
    }

    private static Endpoint unix(String text, String rest) {
        if (rest.isEmpty()) {
            throw new InvalidEndpointException(text, "missing path; " + UNIX);
        }
        if (!rest.startsWith("/")) {
            throw new InvalidEndpointException(text, "the socket path must be absolute; " + UNIX);
        }
        Path path = path(text, rest, UNIX);
        return build(text, UNIX, () -> new UnixEndpoint(path));
    }

    private static Path path(String text, String token, String expected) {
        if (token.endsWith("/")) {
            throw new InvalidEndpointException(text, "the socket path must name a file, not end with \"/\"; "
                    + expected);
        }
        try {
            return Path.of(token);
        } catch (InvalidPathException e) {
            throw new InvalidEndpointException(text, "not a valid path (" + e.getReason() + "); " + expected, e);
        }
    }

    private static Endpoint tcp(String text, String rest) {
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new InvalidEndpointException(text, "missing \"]\" after the IPv6 address; " + TCP);
            }
            host = rest.substring(1, close);
            if (!host.isEmpty() && host.indexOf(':') < 0) {
                // Without this, "[localhost]" would pass as the name "localhost".
                throw new InvalidEndpointException(text, "not an IPv6 address: " + Text.quote(host) + "; " + TCP);
            }
            port = portAfterBracket(text, rest.substring(close + 1));
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new InvalidEndpointException(text, "missing port; " + TCP);
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new InvalidEndpointException(text, "an IPv6 address must be in brackets, as in tcp://[::1]:PORT");
            }
        }
        if (host.isEmpty()) {
            throw new InvalidEndpointException(text, "missing host; " + TCP);
        }
        int number = (int) number(text, "port", port, 65535, TCP);
        return build(text, TCP, () -> new TcpEndpoint(host, number));
    }

    private static String portAfterBracket(String text, String afterBracket) {
        if (afterBracket.isEmpty()) {
            throw new InvalidEndpointException(text, "missing port; " + TCP);
        }
        if (afterBracket.charAt(0) != ':') {
            throw new InvalidEndpointException(text, "unexpected " + Text.quote(afterBracket) + " after \"]\"; " + TCP);
        }
        return afterBracket.substring(1);
    }

    /** A decimal number from 0 to {@code max}: digits only, no sign, no spaces. */
    private static long number(String text, String what, String token, long max, String expected) {
        if (token.isEmpty()) {
            throw new InvalidEndpointException(text, "missing " + what + "; " + expected);
        }
        if (!token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidEndpointException(text, what + " " + Text.quote(token) + " is not a decimal number; "
                    + expected);
        }
        BigInteger value = new BigInteger(token);
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InvalidEndpointException(text, what + " " + token + " is out of range 0 to " + max);
        }
        return value.longValue();
    }

    /** Runs a record constructor, turning its complaint into a parse error that quotes the text. */
    private static Endpoint build(String text, String expected, Supplier<Endpoint> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointException(text, e.getMessage() + "; " + expected, e);
        }
    }
}
