package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * A link over a JDK {@link SocketChannel} in blocking mode, for dials with
 * {@link DialOptions#jdkChannel(boolean)}: Unix and TCP sockets, and the Unix socket of a hybrid
 * endpoint. It needs nothing of the native layer, whose first use costs a process tens of
 * milliseconds (binding C functions), so a short-lived process that only dials starts faster.
 *
 * <p>A blocking channel has no time limits, so an operation with a deadline arms the
 * {@link Watchdog}, which closes the channel when the deadline passes; the operation then throws
 * {@link java.net.SocketTimeoutException}, and the connection is closed (where a native one would
 * stay open). Closing the link wakes blocked threads, as the JDK's channels do; an interrupt
 * closes the channel too and surfaces as {@link InterruptedIOException}.
 */
final class ChannelLink implements Link {
    private final SocketChannel channel;
    private final String name;
    private final boolean isUnix;
    /** Guards {@link #shared} and {@link #ownerClosing}, and the first claim of {@link #owner}. */
    private final Object ownership = new Object();
    /** The first thread to read or write. */
    private volatile Thread owner;
    /** Whether another thread has read or written too. */
    private boolean shared;
    /** Whether the owner is closing the channel in non-blocking mode. */
    private boolean ownerClosing;

    private ChannelLink(SocketChannel channel, String name, boolean unix) {
        this.channel = channel;
        this.name = name;
        this.isUnix = unix;
    }

    /**
     * Connects to a Unix or TCP {@code address} within {@code deadline}.
     *
     * @throws java.net.SocketTimeoutException if the deadline passes first
     * @throws IOException if the connection is refused or fails; the JDK does not say with which errno
     */
    static ChannelLink connect(SocketAddress address, Deadline deadline) throws IOException {
        String name = address.toString();
        if (deadline.hasPassed()) {
            throw deadline.timedOut("connect " + name);
        }
        ProtocolFamily family = family(address);
        SocketChannel channel = SocketChannel.open(family);
        ChannelLink link = new ChannelLink(channel, name, family == StandardProtocolFamily.UNIX);
        Watchdog.Alarm alarm = Watchdog.arm(deadline, link::close);
        try {
            channel.connect(address);
            if (address instanceof InetSocketAddress) {
                // Frames are written whole: Nagle must not hold a small one back.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return link;
        } catch (IOException e) {
            link.close();
            throw link.failure(e, alarm, "connect", deadline);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        } finally {
            alarm.disarm();
        }
    }

    private static ProtocolFamily family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return inet.getAddress() instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
    }

    /** A JDK channel does not say what has arrived; readers size their buffers without it. */
    @Override
    public int available() {
        return 0;
    }

    @Override
    public int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        if (len == 0) {
            return 0;
        }
        startBefore(deadline, "read");
        claim();
        Watchdog.Alarm alarm = Watchdog.arm(deadline, this::close);
        try {
            return channel.read(ByteBuffer.wrap(b, off, len));
        } catch (IOException e) {
            throw failure(e, alarm, "read", deadline);
        } finally {
            alarm.disarm();
        }
    }

    @Override
    public void write(byte[] b, int off, int len, Deadline deadline) throws IOException {
        startBefore(deadline, "write");
        claim();
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        Watchdog.Alarm alarm = Watchdog.arm(deadline, this::close);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw failure(e, alarm, "write", deadline);
        } finally {
            alarm.disarm();
        }
    }

    /**
     * Records the thread about to read or write: the first is the owner, any other makes the link
     * shared. Once the owner has begun its quiet close, another thread finds the channel closed.
     */
    private void claim() throws ClosedChannelException {
        Thread current = Thread.currentThread();
        if (owner == current) {
            return;
        }
        synchronized (ownership) {
            if (ownerClosing) {
                throw new ClosedChannelException();
            }
            if (owner == null) {
                owner = current;
            } else if (owner != current) {
                shared = true;
            }
        }
    }

    /** Whether the calling thread may close quietly: a Unix channel that only it reads and writes. */
    private boolean closingQuietly() {
        if (!isUnix || owner != Thread.currentThread()) {
            return false;
        }
        synchronized (ownership) {
            ownerClosing = !shared;
            return ownerClosing;
        }
    }

    /** A deadline that has passed already fails the operation before it starts, and leaves the channel open. */
    private void startBefore(Deadline deadline, String operation) throws IOException {
        if (deadline.hasPassed()) {
            throw deadline.timedOut(operation + " " + name);
        }
    }

    /** What an operation that failed with {@code e} throws: a timeout if the watchdog ended it. */
    private IOException failure(IOException e, Watchdog.Alarm alarm, String operation, Deadline deadline) {
        if (alarm.fired()) {
            java.net.SocketTimeoutException timeout = deadline.timedOut(operation + " " + name);
            timeout.initCause(e);
            return timeout;
        }
        if (e instanceof ClosedByInterruptException) {
            InterruptedIOException interrupted = new InterruptedIOException(operation + " " + name + ": interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        return e;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        SocketAddress local = channel.getLocalAddress();
        // An unnamed Unix socket: the native layer reports none, the JDK an empty path.
        return local instanceof UnixDomainSocketAddress unix && unix.getPath().toString().isEmpty() ? null : local;
    }

    /** A JDK channel has no descriptor of the native layer. */
    @Override
    public Descriptor descriptor() {
        throw new UnsupportedOperationException("a connection dialed through the JDK (DialOptions.jdkChannel)"
                + " has no native descriptor");
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the channel. Its owner, done with it, closes a Unix channel in non-blocking mode: a
     * blocking channel shuts its output down first in case a thread is still blocked in it, for
     * which the JDK initializes its socket-option machinery (a reflective lookup that spins
     * method-handle classes), milliseconds at the end of every short-lived command line. With no
     * thread blocked in it, the close itself ends the peer's stream just the same. Any other
     * thread (the watchdog, a signal), or any thread of a link that several threads read or
     * write, closes in blocking mode, which wakes a blocked reader or writer.
     */
    @Override
    public void close() {
        if (closingQuietly()) {
            try {
                channel.configureBlocking(false);
            } catch (IOException | RuntimeException e) {
                // closed already, or the mode cannot change: the blocking close below still closes it
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket channel only fails for errors nobody could act on; it is closed either way
        }
    }
}
