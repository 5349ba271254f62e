package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import java.io.IOException;
import java.util.Objects;

/**
 * Dials and listens on endpoints of every kind.
 *
 * <table>
 *   <caption>What each endpoint does</caption>
 *   <tr><th>endpoint</th><th>dial</th><th>listen</th></tr>
 *   <tr><td>{@code vsock://CID:PORT}</td><td>AF_VSOCK connect</td>
 *       <td>bind; {@code vsock://any:PORT} binds every CID</td></tr>
 *   <tr><td>{@code hybrid:///PATH:PORT}</td><td>connect the VM's Unix socket, send
 *       {@code CONNECT PORT}, expect {@code OK <n>}</td>
 *       <td>emulate the VM's socket at PATH for guest PORT; several ports share one file</td></tr>
 *   <tr><td>{@code unix:///PATH}</td><td>Unix connect</td>
 *       <td>a socket file of mode 0600, replacing a stale one; removed on close</td></tr>
 *   <tr><td>{@code tcp://HOST:PORT}</td><td>TCP connect</td>
 *       <td>bind, loopback only unless {@link ListenOptions#allowInsecureNonLoopbackTcp(boolean)}</td></tr>
 * </table>
 *
 * <p>A connect failure is an {@link io.vsockexec.nativeio.ErrnoException} naming the endpoint, e.g.
 * {@code connect hybrid:///tmp/vm.sock:5000: ECONNREFUSED (Connection refused)}; a refused or
 * malformed hybrid handshake is a {@link HandshakeException}; a passed deadline or timeout is a
 * {@link java.net.SocketTimeoutException} naming the endpoint.
 */
public final class Transports {
    private Transports() {}

    /** Connects to {@code endpoint} with the default options. */
    public static Connection dial(Endpoint endpoint, Deadline deadline) throws IOException {
        return dial(endpoint, deadline, DialOptions.defaults());
    }

    /**
     * Connects to {@code endpoint}; {@code deadline} bounds the whole dial, handshake included.
     *
     * @throws IllegalArgumentException for {@code vsock://any:PORT}, which names no peer
     */
    public static Connection dial(Endpoint endpoint, Deadline deadline, DialOptions options) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(options, "options");
        // instanceof rather than a pattern switch (here and in listen): the switch's bootstrap
        // generates a class at run time, milliseconds in a fresh process, and dialing is on every
        // command line's path, listening on every agent's.
        if (endpoint instanceof UnixEndpoint unix) {
            return Dialer.unix(unix, deadline, options);
        }
        if (endpoint instanceof HybridEndpoint hybrid) {
            return Dialer.hybrid(hybrid, deadline, options);
        }
        if (endpoint instanceof TcpEndpoint tcp) {
            return Dialer.tcp(tcp, deadline, options);
        }
        return Dialer.vsock((VsockEndpoint) endpoint, deadline);
    }

    /** Listens on {@code endpoint} with the default options. */
    public static Listener listen(Endpoint endpoint) throws IOException {
        return listen(endpoint, ListenOptions.defaults());
    }

    /**
     * Listens on {@code endpoint}.
     *
     * @throws InsecureEndpointException for TCP on a non-loopback address without the insecure option
     * @throws io.vsockexec.nativeio.ErrnoException EADDRINUSE if a live socket is at a Unix or hybrid
     *     path, or the port is taken
     * @throws java.nio.file.FileAlreadyExistsException if a file that is not a socket is at a Unix or
     *     hybrid path (it is left alone)
     */
    public static Listener listen(Endpoint endpoint, ListenOptions options) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        if (endpoint instanceof VsockEndpoint vsock) {
            return SocketListener.vsock(vsock);
        }
        if (endpoint instanceof HybridEndpoint hybrid) {
            return HybridVmSocket.listen(hybrid, options);
        }
        if (endpoint instanceof UnixEndpoint unix) {
            return SocketListener.unix(unix);
        }
        return SocketListener.tcp((TcpEndpoint) endpoint, options);
    }
}
