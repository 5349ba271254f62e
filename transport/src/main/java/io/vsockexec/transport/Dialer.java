package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeSocket;
import java.io.IOException;
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
        NativeSocket socket = connect(endpoint.address(), endpoint, deadline);
        return new Connection(socket, endpoint, socket.remoteAddress());
    }

    static Connection unix(UnixEndpoint endpoint, Deadline deadline) throws IOException {
        NativeSocket socket = connect(endpoint.address(), endpoint, deadline);
        return new Connection(socket, endpoint, socket.remoteAddress());
    }

    /** Tries each address the host resolves to, in order, until one accepts. */
    static Connection tcp(TcpEndpoint endpoint, Deadline deadline) throws IOException {
        IOException failure = null;
        for (InetAddress address : InetAddress.getAllByName(endpoint.host())) {
            try {
                NativeSocket socket = connect(new InetSocketAddress(address, endpoint.port()), endpoint, deadline);
                return new Connection(socket, endpoint, socket.remoteAddress());
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
        NativeSocket socket = connect(endpoint.socketAddress(), endpoint, deadline);
        Deadline handshakeDeadline = options.handshakeTimeout().start().earliest(deadline);
        try {
            HybridHandshake.request(socket, endpoint, handshakeDeadline);
            return new Connection(socket, endpoint, socket.remoteAddress());
        } catch (SocketTimeoutException e) {
            socket.close();
            throw Failures.timeout("handshake", endpoint, handshakeDeadline, e);
        } catch (ErrnoException e) {
            socket.close();
            throw Failures.renamed(e, endpoint);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static NativeSocket connect(SocketAddress address, Endpoint endpoint, Deadline deadline)
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
