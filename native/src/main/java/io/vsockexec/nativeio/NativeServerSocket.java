package io.vsockexec.nativeio;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.Sockaddr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;

/**
 * A listening stream socket (AF_VSOCK, AF_UNIX or TCP). {@link #accept} honours a
 * {@link Deadline}, and {@link #close()} from another thread wakes a thread blocked in it.
 */
public final class NativeServerSocket extends SocketBase {
    /**
     * The backlog passed to listen(2), capped by the kernel's {@code net.core.somaxconn}. AF_VSOCK
     * keeps no queue of half-open connections: a connection that finds the accept queue full is
     * reset at once, so a burst of idle or junk connections must not fill it before the
     * listener's thread has drained it.
     */
    public static final int BACKLOG = 4096;

    private final SocketAddress address;

    private NativeServerSocket(Descriptor descriptor, SocketAddress address) {
        super(descriptor);
        this.address = address;
    }

    /**
     * Binds {@code address} and listens. For TCP, SO_REUSEADDR is set so that a restarted
     * server can bind again at once. A Unix socket file that exists already is not touched here:
     * callers decide whether a stale file may be replaced.
     */
    public static NativeServerSocket bind(SocketAddress address) throws IOException {
        String name = address.toString();
        Descriptor d = Descriptor.adoptNonBlocking(NativeSocket.newSocket(address, name), name);
        try {
            int family = Sockaddr.family(address);
            if (family == Libc.AF_INET || family == Libc.AF_INET6) {
                d.withFd(fd -> Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1));
            }
            MemorySegment sockaddr = Sockaddr.encode(address);
            ErrnoException.check(d.withFd(fd -> Libc.bind(fd, sockaddr)), "bind", name);
            ErrnoException.check(d.withFd(fd -> Libc.listen(fd, BACKLOG)), "listen", name);
            return new NativeServerSocket(d, NativeSocket.kernelAddressOr(d, false, address));
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Waits for a connection.
     *
     * @throws SocketTimeoutException when the deadline passes first
     * @throws AsynchronousCloseException when the socket is closed while waiting
     */
    public NativeSocket accept(Deadline deadline) throws IOException {
        int fd = descriptor.retryUntilReady("accept", true, deadline, Libc::accept);
        return NativeSocket.accepted(fd, address);
    }

    /**
     * Waits until a connection is pending, without accepting it; a platform thread waits inside
     * the kernel (see {@link Descriptor#awaitReadable}). Another thread may still take the
     * connection first.
     *
     * @return true if one is pending, false if the deadline passed first
     * @throws AsynchronousCloseException when the socket is closed while waiting
     */
    public boolean awaitConnection(Deadline deadline) throws IOException {
        return Descriptor.awaitReadable(deadline, descriptor) != 0;
    }

    /** The bound address as the kernel reports it (with the chosen port when PORT_ANY or 0 was asked). */
    public SocketAddress localAddress() {
        return address;
    }

    @Override
    public String toString() {
        return "NativeServerSocket[" + address + "]";
    }
}
