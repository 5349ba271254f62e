package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import java.io.Closeable;
import java.io.IOException;

/**
 * Accepts connections on an endpoint; made by {@link Transports#listen}. Closing it wakes a thread
 * blocked in {@link #accept}; connections already accepted stay open.
 */
public sealed interface Listener extends Closeable permits SocketListener, HybridPortListener {

    /**
     * Waits for the next connection.
     *
     * @throws java.net.SocketTimeoutException if the deadline passes first, naming the endpoint
     * @throws java.nio.channels.AsynchronousCloseException if the listener is closed while waiting
     * @throws java.nio.channels.ClosedChannelException if it was closed before
     */
    Connection accept(Deadline deadline) throws IOException;

    /**
     * Waits until a connection can be accepted, without accepting it. Where the listener is a
     * kernel socket, a platform thread waits inside the kernel rather than being woken by the
     * native layer's poller thread (see {@code Descriptor.awaitReadable}); another thread may
     * still accept the connection first.
     *
     * @return true if a connection is pending, false if the deadline passed first
     * @throws java.nio.channels.AsynchronousCloseException if the listener is closed while waiting
     */
    boolean awaitConnection(Deadline deadline) throws IOException;

    /**
     * The endpoint listened on, as bound: a TCP port 0 or a vsock {@link VsockEndpoint#PORT_ANY}
     * is replaced by the port the kernel chose.
     */
    Endpoint endpoint();

    /** True until {@link #close()}. */
    boolean isOpen();

    /** Stops listening, wakes a blocked {@link #accept} and removes a socket file it created. Idempotent. */
    @Override
    void close();
}
