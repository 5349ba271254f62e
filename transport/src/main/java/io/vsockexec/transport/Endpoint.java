package io.vsockexec.transport;

/**
 * Where to connect or listen: one of four transports, written as text.
 *
 * <table>
 *   <caption>Endpoint syntax</caption>
 *   <tr><th>text</th><th>meaning</th></tr>
 *   <tr><td>{@code vsock://CID:PORT}</td><td>AF_VSOCK. CID is a decimal number up to 4294967295
 *       or one of the names {@code any} (every CID, for listening), {@code local} (1) and
 *       {@code host} (2); PORT is a decimal number up to 4294967295.</td></tr>
 *   <tr><td>{@code hybrid:///PATH:PORT}</td><td>the host side of a Firecracker or Cloud
 *       Hypervisor VM: the VM's Unix socket at the absolute PATH, and the guest PORT (after the
 *       last colon).</td></tr>
 *   <tr><td>{@code unix:///PATH}</td><td>a Unix socket at the absolute PATH.</td></tr>
 *   <tr><td>{@code tcp://HOST:PORT}</td><td>TCP; HOST is a name, an IPv4 address or an IPv6
 *       address in brackets; PORT is 0 to 65535 (0: any free port, for listening).</td></tr>
 * </table>
 *
 * <p>Relative socket paths are rejected rather than resolved: an endpoint is passed between
 * processes (command line, configuration, the SDK), and a path relative to whichever working
 * directory reads it would name different files in different places.
 */
public sealed interface Endpoint permits VsockEndpoint, HybridEndpoint, UnixEndpoint, TcpEndpoint {

    /**
     * Parses endpoint text; this is the only parser of endpoints in the project.
     *
     * @throws InvalidEndpointException quoting {@code text} and saying what was expected
     */
    static Endpoint parse(String text) {
        return EndpointParser.parse(text);
    }

    /** The canonical text of this endpoint, which {@link #parse} turns back into an equal endpoint. */
    @Override
    String toString();
}
