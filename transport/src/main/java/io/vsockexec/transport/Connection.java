package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Timeout;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeSocket;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connected byte stream over any transport: vsock, hybrid vsock, Unix or TCP. Every transport
 * produces this one class, so the layers above never ask which one they are on.
 *
 * <p><b>No buffering, either way.</b> {@link #output()} passes each write straight to the socket
 * (the frame writer already gathers a frame into one write, and a buffer here would only add a
 * copy and a forgotten flush). {@link #input()} reads straight from the socket too, so the
 * connection never holds bytes its reader has not seen; the frame reader reads headers and
 * payloads with loops of its own. Callers that read a byte at a time should add a
 * {@link java.io.BufferedInputStream}.
 *
 * <p><b>Time limits.</b> Each read and each write may block for at most its per-operation
 * timeout ({@link #readTimeout(Timeout)}, {@link #writeTimeout(Timeout)}) and never past the
 * connection's {@link #deadline(Deadline)}, whichever comes first. A limit that passes surfaces as
 * {@link SocketTimeoutException} from the stream call, naming the endpoint. A write that times out
 * may have sent part of its bytes; the stream is then out of step with its peer, so close it.
 *
 * <p><b>Closing.</b> {@link #close()} is idempotent and wakes threads blocked in a read or write,
 * which then throw {@link java.nio.channels.AsynchronousCloseException}. Closing either stream
 * closes the connection, as with {@link java.net.Socket}; use {@link #shutdownOutput()} to
 * half-close.
 *
 * <p>One thread may read while another writes; the settings may be changed from any thread and
 * apply to operations that start afterwards.
 */
public final class Connection implements Closeable {
    private final Link socket;
    private final Endpoint endpoint;
    private final SocketAddress remote;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();
    private volatile Timeout readTimeout = Timeout.NONE;
    private volatile Timeout writeTimeout = Timeout.NONE;
    private volatile Deadline deadline = Deadline.none();
    private volatile Timeout stallTimeout = Timeout.NONE;
    /** Serializes writes while the stall timeout is watched, which writes in several steps. */
    private final ReentrantLock writeLock = new ReentrantLock();

    Connection(NativeSocket socket, Endpoint endpoint, SocketAddress remote) {
        this(new NativeLink(Objects.requireNonNull(socket, "socket")), endpoint, remote);
    }

    Connection(Link link, Endpoint endpoint, SocketAddress remote) {
        this.socket = Objects.requireNonNull(link, "link");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.remote = Objects.requireNonNull(remote, "remote");
    }

    /**
     * The socket's descriptor, for waiting until the peer sends something together with other
     * descriptors ({@link Descriptor#awaitReadable}); reads, writes and closing go through this class.
     *
     * @throws UnsupportedOperationException for a connection dialed with {@link DialOptions#jdkChannel(boolean)}
     */
    public Descriptor descriptor() {
        return socket.descriptor();
    }

    /** The bytes from the peer; {@code read} returns -1 once the peer has shut down its output. */
    public InputStream input() {
        return input;
    }

    /** The bytes to the peer; each {@code write} returns once every byte is handed to the kernel. */
    public OutputStream output() {
        return output;
    }

    /** Limits each single read; {@link Timeout#NONE} (the default) for no limit. */
    public void readTimeout(Timeout timeout) {
        readTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The per-read limit. */
    public Timeout readTimeout() {
        return readTimeout;
    }

    /** Limits each single write call (all of its bytes); {@link Timeout#NONE} (the default) for no limit. */
    public void writeTimeout(Timeout timeout) {
        writeTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The per-write limit. */
    public Timeout writeTimeout() {
        return writeTimeout;
    }

    /**
     * Limits how long a write may wait without moving a single byte, however long it takes in
     * all: a peer that reads slowly is served, one that has stopped reading fails the write with a
     * {@link PeerStalledException}. {@link Timeout#NONE} (the default) for no limit.
     */
    public void stallTimeout(Timeout timeout) {
        stallTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The stall limit of writes. */
    public Timeout stallTimeout() {
        return stallTimeout;
    }

    /**
     * Sets a deadline for every operation on this connection from now on, for example the end of
     * an exec's time budget; {@link Deadline#none()} (the default) for none.
     */
    public void deadline(Deadline deadline) {
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /** The connection's overall deadline. */
    public Deadline deadline() {
        return deadline;
    }

    /** Half-closes the sending side: the peer reads end of stream and may still write back. */
    public void shutdownOutput() throws IOException {
        try {
            socket.shutdownOutput();
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    /** Half-closes the receiving side: later reads return end of stream. */
    public void shutdownInput() throws IOException {
        try {
            socket.shutdownInput();
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    /** What was dialed, or the endpoint of the listener that accepted this connection. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * The peer. For vsock, the peer's CID and port as the kernel reports them; for TCP, its
     * address and port; for a dialed Unix or hybrid socket, the socket's path; for a connection
     * accepted from an emulated hybrid VM, the host CID and the local port the emulator assigned,
     * which is what a guest sees on a real VM.
     */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /** This side's address, as the kernel reports it. */
    public SocketAddress localAddress() throws IOException {
        try {
            return socket.localAddress();
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the connection and wakes threads blocked in a read or write on it. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "Connection[" + endpoint + ", peer " + remote + (isOpen() ? "" : ", closed") + "]";
    }

    private int read(byte[] b, int off, int len) throws IOException {
        Deadline limit = readTimeout.start().earliest(deadline);
        try {
            return socket.read(b, off, len, limit);
        } catch (SocketTimeoutException e) {
            throw Failures.timeout("read", endpoint, limit, e);
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        Deadline limit = writeTimeout.start().earliest(deadline);
        Timeout stall = stallTimeout;
        try {
            if (stall.isNone()) {
                socket.write(b, off, len, limit);
            } else {
                writeWatchingProgress(b, off, len, limit, stall);
            }
        } catch (PeerStalledException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw Failures.timeout("write", endpoint, limit, e);
        } catch (ErrnoException e) {
            throw Failures.renamed(e, endpoint);
        }
    }

    /**
     * Writes all of it, waiting for room as needed, and fails once no byte has moved for {@code
     * stall}: each byte that moves starts the stall over.
     */
    private void writeWatchingProgress(byte[] b, int off, int len, Deadline limit, Timeout stall) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        Descriptor d = socket.descriptor();
        writeLock.lock();
        try {
            int done = 0;
            Deadline stalled = null;
            while (done < len) {
                int n = d.writeAvailable(b, off + done, len - done);
                if (n > 0) {
                    done += n;
                    stalled = null;
                    continue;
                }
                if (stalled == null) {
                    stalled = stall.start();
                }
                try {
                    d.awaitWritable("write", stalled.earliest(limit));
                } catch (SocketTimeoutException e) {
                    if (limit.hasPassed()) {
                        throw e;
                    }
                    throw new PeerStalledException(endpoint, stall.duration());
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return Connection.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return Connection.this.read(b, off, len);
        }

        /** What has arrived and can be read without waiting (0 where the link cannot tell). */
        @Override
        public int available() throws IOException {
            try {
                return socket.available();
            } catch (ErrnoException e) {
                throw Failures.renamed(e, endpoint);
            }
        }

        @Override
        public void close() {
            Connection.this.close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            Connection.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Connection.this.write(b, off, len);
        }

        @Override
        public void close() {
            Connection.this.close();
        }
    }
}
