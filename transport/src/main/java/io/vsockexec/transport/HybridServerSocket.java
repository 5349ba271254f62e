package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.NativeSocket;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The VM's side of a hybrid vsock socket, for a virtual machine monitor written on this
 * library: the Unix socket file a host client connects to (mode 0600, a stale one replaced,
 * removed on close) and the VM's half of the {@code CONNECT PORT} / {@code OK N} handshake, the
 * same code the emulated VM of {@link Transports#listen} uses. Whatever it serves, the
 * {@code hybrid://} dialer and any Firecracker client reach it unchanged.
 */
public final class HybridServerSocket implements Closeable {
    private final UnixSocketFile file;
    private final Path path;

    private HybridServerSocket(UnixSocketFile file, Path path) {
        this.file = file;
        this.path = path;
    }

    /**
     * Listens on {@code path}.
     *
     * @throws io.vsockexec.nativeio.ErrnoException EADDRINUSE if a live socket is at the path
     * @throws java.nio.file.FileAlreadyExistsException if something other than a socket is there
     * @throws IllegalArgumentException if the path is relative or too long for a Unix socket
     */
    public static HybridServerSocket listen(Path path) throws IOException {
        SocketPaths.check(path);
        return new HybridServerSocket(UnixSocketFile.listen(path, new UnixEndpoint(path)), path);
    }

    /** Waits for the next host client; it has not sent its request yet. */
    public NativeSocket accept(Deadline deadline) throws IOException {
        return file.server().accept(deadline);
    }

    /**
     * Reads a client's {@code CONNECT PORT} line, and nothing after it.
     *
     * @return the guest port asked for, or empty if the line is malformed, too long or cut short;
     *     the VM answers that by closing the connection
     */
    public static OptionalLong readConnect(NativeSocket client, Deadline deadline) throws IOException {
        return HybridHandshake.readRequest(client, deadline);
    }

    /** Accepts a client's request: {@code OK localPort}, after which the socket carries the guest stream. */
    public static void acknowledge(NativeSocket client, long localPort, Deadline deadline) throws IOException {
        HybridHandshake.acknowledge(client, localPort, deadline);
    }

    /** The socket file. */
    public Path path() {
        return path;
    }

    /** Removes the socket file and stops listening; a thread blocked in {@link #accept} wakes. Idempotent. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "HybridServerSocket[" + path + "]";
    }
}
