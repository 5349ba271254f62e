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

    private ChannelLink(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
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
        SocketChannel channel = SocketChannel.open(family(address));
        ChannelLink link = new ChannelLink(channel, name);
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

    @Override
    public int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        if (len == 0) {
            return 0;
        }
        startBefore(deadline, "read");
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

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket channel only fails for errors nobody could act on; it is closed either way
        }
    }
}
