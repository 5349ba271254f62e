package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * The byte stream under a {@link Connection}: a socket of the native layer ({@link NativeLink}),
 * or, for a dial that asked for it, a JDK channel ({@link ChannelLink}). Connection adds the
 * endpoint, the limits and the streams; a link only moves bytes.
 */
sealed interface Link extends Closeable permits NativeLink, ChannelLink {
    /** Reads up to {@code len} bytes, waiting until {@code deadline} at most; -1 at end of stream. */
    int read(byte[] b, int off, int len, Deadline deadline) throws IOException;

    /** The bytes a read would return now without waiting; 0 if none, or if the link cannot tell. */
    int available() throws IOException;

    /** Writes all {@code len} bytes, waiting until {@code deadline} at most. */
    void write(byte[] b, int off, int len, Deadline deadline) throws IOException;

    /** Half-closes the sending side. */
    void shutdownOutput() throws IOException;

    /** Half-closes the receiving side. */
    void shutdownInput() throws IOException;

    /** This side's address as the kernel reports it; null for an unnamed socket. */
    SocketAddress localAddress() throws IOException;

    /** The native descriptor, for waiting on it with others. */
    Descriptor descriptor();

    /** True until closed. */
    boolean isOpen();

    /** Closes the link, waking threads blocked on it. Idempotent. */
    @Override
    void close();
}
