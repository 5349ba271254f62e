package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeServerSocket;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.nativeio.VsockAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

/** A listener on a kernel socket: vsock, Unix or TCP. */
final class SocketListener implements Listener {
    private final NativeServerSocket server;
    private final Endpoint endpoint;
    private final SocketAddress publicAddress;
    /** Closes the socket and whatever else the listener owns (a socket file). */
    private final Runnable closer;

    private SocketListener(NativeServerSocket server, Endpoint endpoint, SocketAddress publicAddress,
            Runnable closer) {
        this.server = server;
        this.endpoint = endpoint;
        this.publicAddress = publicAddress;
        this.closer = closer;
    }

    /** Listens on a vsock port; {@link VsockEndpoint#PORT_ANY} lets the kernel choose one. */
    static SocketListener vsock(VsockEndpoint endpoint) throws IOException {
        NativeServerSocket server = bind(endpoint.address(), endpoint);
        VsockAddress bound = (VsockAddress) server.localAddress();
        return new SocketListener(server, endpoint.withPort(Integer.toUnsignedLong(bound.port())), bound, server::close);
    }

    /** Listens on a Unix socket file of mode 0600, replacing a stale one. */
    static SocketListener unix(UnixEndpoint endpoint) throws IOException {
        UnixSocketFile file = UnixSocketFile.listen(endpoint.path(), endpoint);
        return new SocketListener(file.server(), endpoint, endpoint.address(), file::close);
    }

    /**
     * Listens for TCP; on loopback only, unless the options allow otherwise.
     *
     * @throws InsecureEndpointException for a non-loopback address without the insecure option
     */
    static SocketListener tcp(TcpEndpoint endpoint, ListenOptions options) throws IOException {
        InetAddress address = InetAddress.getByName(endpoint.host());
        if (!address.isLoopbackAddress() && !options.allowInsecureNonLoopbackTcp()) {
            throw new InsecureEndpointException(endpoint, "refusing to listen on " + endpoint + ": "
                    + address.getHostAddress() + " is not a loopback address, and TCP carries no authentication;"
                    + " set ListenOptions.allowInsecureNonLoopbackTcp(true) to listen there anyway");
        }
        NativeServerSocket server = bind(new InetSocketAddress(address, endpoint.port()), endpoint);
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        return new SocketListener(server, endpoint.withPort(bound.getPort()), bound, server::close);
    }

    private static NativeServerSocket bind(SocketAddress address, Endpoint endpoint) throws IOException {
        try {
            return NativeServerSocket.bind(address);
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    @Override
    public Connection accept(Deadline deadline) throws IOException {
        NativeSocket socket;
        try {
            socket = server.accept(deadline);
        } catch (SocketTimeoutException e) {
            throw Failures.timeout("accept", endpoint, deadline, e);
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
        return new Connection(socket, endpoint, peerOf(socket));
    }

    @Override
    public boolean awaitConnection(Deadline deadline) throws IOException {
        try {
            return server.awaitConnection(deadline);
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    /**
     * The accepted socket's peer. A Unix client rarely binds a name, and for a peer without one
     * the native layer reports the listening socket's own address, which for a socket bound
     * through a private directory is a path that no longer exists; the public path is named instead.
     */
    private SocketAddress peerOf(NativeSocket socket) {
        SocketAddress reported = socket.remoteAddress();
        return reported.equals(server.localAddress()) ? publicAddress : reported;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean isOpen() {
        return server.isOpen();
    }

    @Override
    public void close() {
        closer.run();
    }

    @Override
    public String toString() {
        return "Listener[" + endpoint + "]";
    }
}
