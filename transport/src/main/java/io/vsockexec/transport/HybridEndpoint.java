package io.vsockexec.transport;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * A guest port behind a VM's host-side Unix socket, {@code hybrid:///PATH:PORT}: the way
 * Firecracker and Cloud Hypervisor expose guest vsock ports to the host. Dialing connects the
 * socket and asks for the port with {@code CONNECT PORT\n}; listening emulates the VM's side.
 *
 * @param socket the absolute path of the VM's Unix socket
 * @param port the guest's vsock port, an unsigned 32-bit value
 */
public record HybridEndpoint(Path socket, long port) implements Endpoint {
    /**
     * @throws IllegalArgumentException for a relative or too long path, or a port outside
     *     0 to 4294967295
     */
    public HybridEndpoint {
        SocketPaths.check(socket);
        VsockEndpoint.checkU32("port", port);
    }

    /** The address of the VM's Unix socket. */
    public UnixDomainSocketAddress socketAddress() {
        return UnixDomainSocketAddress.of(socket);
    }

    /** {@code hybrid://PATH:PORT}; PATH starts with a slash, so the text reads {@code hybrid:///...}. */
    @Override
    public String toString() {
        return "hybrid://" + socket + ":" + port;
    }
}
