package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeSocket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

/** Dialing, one method per transport. */
final class Dialer {
    private Dialer() {}

    static Connection vsock(VsockEndpoint endpoint, Deadline deadline) throws IOException {
        if (endpoint.cid() == VsockEndpoint.CID_ANY) {
            throw new IllegalArgumentException("cannot dial " + endpoint
                    + ": CID any means every CID of this machine and is only for listening");
        }
        NativeSocket socket = nativeConnect(endpoint.address(), endpoint, deadline);
        return new Connection(socket, endpoint, socket.remoteAddress());
    }

    static Connection unix(UnixEndpoint endpoint, Deadline deadline, DialOptions options) throws IOException {
        return new Connection(connect(endpoint.address(), endpoint, deadline, options), endpoint, endpoint.address());
    }

    /** Tries each address the host resolves to, in order, until one accepts. */
    static Connection tcp(TcpEndpoint endpoint, Deadline deadline, DialOptions options) throws IOException {
        IOException failure = null;
        for (InetAddress address : InetAddress.getAllByName(endpoint.host())) {
            InetSocketAddress remote = new InetSocketAddress(address, endpoint.port());
            try {
                return new Connection(connect(remote, endpoint, deadline, options), endpoint, remote);
            } catch (SocketTimeoutException e) {
                throw e; // the deadline is spent; the next address would time out at once
            } catch (ErrnoException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    /**
     * Connects the VM's Unix socket and asks for the guest port; the handshake must finish within
     * the handshake timeout and the dial deadline, whichever ends first.
     */
    static Connection hybrid(HybridEndpoint endpoint, Deadline deadline, DialOptions options) throws IOException {
        Link link = connect(endpoint.socketAddress(), endpoint, deadline, options);
        Deadline handshakeDeadline = options.handshakeTimeout().start().earliest(deadline);
        try {
            HybridHandshake.request(link, endpoint, handshakeDeadline);
            return new Connection(link, endpoint, endpoint.socketAddress());
        } catch (SocketTimeoutException e) {
            link.close();
            throw Failures.timeout("handshake", endpoint, handshakeDeadline, e);
        } catch (ErrnoException e) {
            link.close();
            throw Failures.renamed(e, endpoint);
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * A Unix or TCP connection to {@code address}: through the JDK if {@code options} ask for it,
     * else, and when the JDK's dial fails (it does not say with which errno) or the deadline has
     * passed already (the native layer still tries a connect that needs no wait), through the
     * native layer.
     */
    private static Link connect(SocketAddress address, Endpoint endpoint, Deadline deadline, DialOptions options)
            throws IOException {
        if (options.jdkChannel() && !deadline.hasPassed()) {
            try {
                return ChannelLink.connect(address, deadline);
            } catch (SocketTimeoutException e) {
                throw Failures.timeout("connect", endpoint, deadline, e);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException refused) {
                // Asked again below: the native layer reports the errno, as callers expect.
            }
        }
        return new NativeLink(nativeConnect(address, endpoint, deadline));
    }

    private static NativeSocket nativeConnect(SocketAddress address, Endpoint endpoint, Deadline deadline)
            throws IOException {
        try {
            return NativeSocket.connect(address, deadline);
        } catch (SocketTimeoutException e) {
            throw Failures.timeout("connect", endpoint, deadline, e);
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }
}
