package io.vsockexec.protocol;

/**
 * Where to connect inside the guest: the payload of {@link MessageType#PORT_FORWARD}, and Go's
 * {@code PortForwardRequest}. Encoded by {@link PortForwardPayloads}.
 *
 * @param host a host name or address as the guest resolves it; empty (the JSON omits it) for the
 *     agent's default, {@code 127.0.0.1}; null becomes empty
 * @param port the TCP port, 0 to 65535 (Go's {@code uint16}); the agent refuses 0
 */
public record PortForwardRequest(String host, int port) {
    /** The host an agent connects to when the request names none. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** @throws IllegalArgumentException if {@code port} is outside 0 to 65535 */
    public PortForwardRequest {
        host = Values.optional(host);
        Values.u16(port, "port");
    }

    /** The host to connect to: {@link #host()}, or {@value #DEFAULT_HOST} when it is empty. */
    public String effectiveHost() {
        return host.isEmpty() ? DEFAULT_HOST : host;
    }
}
