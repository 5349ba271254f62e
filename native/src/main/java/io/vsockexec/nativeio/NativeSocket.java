package io.vsockexec.nativeio;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.Sockaddr;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * A connected stream socket of any family this project uses: AF_VSOCK ({@link VsockAddress}),
 * AF_UNIX ({@link UnixDomainSocketAddress}) and TCP ({@link java.net.InetSocketAddress}).
 * Every blocking operation takes a {@link Deadline}; {@link #close()} wakes blocked callers.
 */
public final class NativeSocket extends SocketBase {
    private final SocketAddress remote;

    private NativeSocket(Descriptor descriptor, SocketAddress remote) {
        super(descriptor);
        this.remote = remote;
    }

    /**
     * Connects to {@code address}.
     *
     * @throws ErrnoException naming the address, e.g. {@code connect vsock://3:5000: ECONNRESET (...)}
     * @throws SocketTimeoutException if the deadline passes first
     */
    public static NativeSocket connect(SocketAddress address, Deadline deadline) throws IOException {
        Objects.requireNonNull(deadline, "deadline");
        MemorySegment sockaddr = Sockaddr.encode(address);
        String name = address.toString();
        Descriptor d = Descriptor.adoptNonBlocking(newSocket(address, name), name);
        try {
            startConnect(d, sockaddr, address, deadline);
            disableNagle(d, address);
            return new NativeSocket(d, address);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private static void startConnect(Descriptor d, MemorySegment sockaddr, SocketAddress address, Deadline deadline)
            throws IOException {
        String name = address.toString();
        while (true) {
            int rc = d.withFd(fd -> Libc.connect(fd, sockaddr));
            if (rc == 0) {
                return;
            }
            if (rc == -Errno.EINPROGRESS || rc == -Errno.EINTR) {
                awaitConnected(d, name, deadline);
                return;
            }
            if (rc == -Errno.EAGAIN && address instanceof UnixDomainSocketAddress) {
                // A Unix listener's backlog is full; there is no readiness event for that.
                waitForBacklog(deadline, name);
                continue;
            }
            throw ErrnoException.of("connect", name, -rc);
        }
    }

    /**
     * Waits for a connect under way to finish. A wake-up is only a hint: a virtual thread's park
     * may return before the socket is ready (Thread.sleep leaves a permit behind), and
     * SO_ERROR is 0 both for a connection made and for one still under way. Taking such a
     * wake-up for a connection made would hand out a socket whose first write fails with
     * ENOTCONN, so the socket counts as connected only once the kernel reports its peer.
     */
    private static void awaitConnected(Descriptor d, String name, Deadline deadline) throws IOException {
        MemorySegment peer = Sockaddr.buffer();
        while (true) {
            d.awaitWritable("connect", deadline);
            int error = d.withFd(fd -> Libc.getIntOption(fd, Libc.SOL_SOCKET, Libc.SO_ERROR));
            if (error != 0) {
                throw ErrnoException.of("connect", name, Math.abs(error));
            }
            int rc = d.withFd(fd -> Libc.getpeername(fd, peer));
            if (rc >= 0) {
                return;
            }
            if (rc != -Errno.ENOTCONN) {
                throw ErrnoException.of("connect", name, -rc);
            }
        }
    }

    private static void waitForBacklog(Deadline deadline, String name) throws IOException {
        if (deadline.hasPassed()) {
            throw deadline.timedOut("connect " + name);
        }
        try {
            Thread.sleep(Math.min(10, Math.max(1, deadline.remainingNanos() / 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("connect " + name + ": interrupted");
        }
    }

    /** A new stream socket for {@code address}'s family, created non-blocking and close-on-exec. */
    static int newSocket(SocketAddress address, String name) throws ErrnoException {
        return ErrnoException.check(
                Libc.socket(Sockaddr.family(address), Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0),
                "socket", name);
    }

    /** Wraps {@code fd} from {@link Libc#accept}, which is non-blocking already. */
    static NativeSocket accepted(int fd, SocketAddress listenAddress) throws IOException {
        Descriptor d = Descriptor.adoptNonBlocking(fd, "connection on " + listenAddress);
        try {
            disableNagle(d, listenAddress);
            return new NativeSocket(d, kernelAddressOr(d, true, listenAddress));
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Sets TCP_NODELAY on a TCP socket: frames are written whole, so Nagle must not hold a small
     * one back. A failure is ignored: it would only delay small writes, never lose or corrupt
     * them, so it is no reason to fail the connection.
     */
    private static void disableNagle(Descriptor d, SocketAddress address) throws IOException {
        int family = Sockaddr.family(address);
        if (family == Libc.AF_INET || family == Libc.AF_INET6) {
            d.withFd(fd -> Libc.setIntOption(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1));
        }
    }

    /**
     * The address the kernel reports for socket {@code d}: its peer's (getpeername) or its own
     * (getsockname); null for an unnamed socket.
     *
     * @throws ErrnoException naming the descriptor if the call fails
     */
    private static SocketAddress kernelAddress(Descriptor d, boolean peer) throws IOException {
        MemorySegment buf = Sockaddr.buffer();
        int len = ErrnoException.check(d.withFd(fd -> peer ? Libc.getpeername(fd, buf) : Libc.getsockname(fd, buf)),
                peer ? "getpeername" : "getsockname", d.name());
        return Sockaddr.decode(buf, len);
    }

    /**
     * {@link #kernelAddress}, or {@code fallback} when the socket is unnamed or the call fails (a
     * peer that reset already has no address left to report).
     */
    static SocketAddress kernelAddressOr(Descriptor d, boolean peer, SocketAddress fallback) throws IOException {
        try {
            return Objects.requireNonNullElse(kernelAddress(d, peer), fallback);
        } catch (ErrnoException unknown) {
            return fallback;
        }
    }

    /** Reads up to {@code len} bytes; -1 at end of stream. */
    public int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        return descriptor.read(b, off, len, deadline);
    }

    /** Writes all {@code len} bytes. */
    public void write(byte[] b, int off, int len, Deadline deadline) throws IOException {
        descriptor.write(b, off, len, deadline);
    }

    /** Half-closes the sending side: the peer reads end of stream. */
    public void shutdownOutput() throws IOException {
        shutdown(Libc.SHUT_WR, "shutdown output");
    }

    /** Half-closes the receiving side. */
    public void shutdownInput() throws IOException {
        shutdown(Libc.SHUT_RD, "shutdown input");
    }

    private void shutdown(int how, String operation) throws IOException {
        int rc = descriptor.withFd(fd -> Libc.shutdown(fd, how));
        if (rc < 0 && rc != -Errno.ENOTCONN) {
            throw ErrnoException.of(operation, descriptor.name(), -rc);
        }
    }

    /** The address this socket is connected to; for an accepted socket, the peer (CID and port for vsock). */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /** The local address, as the kernel reports it. */
    public SocketAddress localAddress() throws IOException {
        return kernelAddress(descriptor, false);
    }

    /**
     * The socket's descriptor, for waiting on it together with others
     * ({@link Descriptor#awaitReadable}); reads, writes and closing go through this class.
     */
    public Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public String toString() {
        return "NativeSocket[" + remote + "]";
    }
}
