package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeServerSocket;
import io.vsockexec.nativeio.NativeSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening Unix socket that owns its file: created with mode 0600, replacing a stale socket
 * file, and removed again on close.
 *
 * <p>The socket is bound inside a fresh directory only its owner can enter, made private, and
 * then hard-linked to its real path. So no other user can connect during the moment between
 * bind and chmod, and the link, unlike a rename, fails rather than replace a file that appeared
 * at the path in the meantime. When the private path would be too long for sockaddr_un (while the
 * real one is not) the socket is bound in place and made private right after.
 */
final class UnixSocketFile implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    /** A live listener answers a connect at once; this only bounds a listener with a full backlog. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path path;
    private final NativeServerSocket server;
    private final Object fileKey;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UnixSocketFile(Path path, NativeServerSocket server, Object fileKey) {
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
    }

    /**
     * Listens on {@code path}.
     *
     * @param endpoint the endpoint being listened on, for messages
     * @throws ErrnoException EADDRINUSE if a live socket is listening at the path
     * @throws FileAlreadyExistsException if something other than a socket is at the path; it is left alone
     */
    static UnixSocketFile listen(Path path, Endpoint endpoint) throws IOException {
        Objects.requireNonNull(path, "path");
        removeStale(path, endpoint);
        NativeServerSocket server = bindPrivately(path);
        try {
            return new UnixSocketFile(path, server, fileKey(path));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The listening socket. */
    NativeServerSocket server() {
        return server;
    }

    /** Removes the socket file, if it is still the one this object created, and stops listening. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Removed before closing, so that a dialer meets no file rather than a dead socket; and
        // only if it is still ours, since another process may have replaced it since.
        try {
            if (fileKey.equals(fileKey(path))) {
                Files.deleteIfExists(path);
            }
        } catch (IOException alreadyGoneOrNotOurs) {
            // Nothing to clean up that we may touch; the socket below is closed regardless.
        } finally {
            server.close();
        }
    }

    private static void removeStale(Path path, Endpoint endpoint) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null,
                    "exists and is not a socket; not replacing it to listen on " + endpoint);
        }
        if (isLive(path)) {
            throw ErrnoException.of("listen", endpoint.toString(), Errno.EADDRINUSE);
        }
        Files.deleteIfExists(path);
    }

    /** Connecting is how to tell a live socket from a stale one: only a stale one refuses. */
    private static boolean isLive(Path path) throws IOException {
        try {
            NativeSocket.connect(UnixDomainSocketAddress.of(path), Deadline.after(PROBE_TIMEOUT)).close();
            return true;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ECONNREFUSED || e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    private static NativeServerSocket bindPrivately(Path path) throws IOException {
        Path directory = path.resolveSibling(".vx-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Path temporary = directory.resolve("s");
        if (temporary.toString().getBytes(StandardCharsets.UTF_8).length > SocketPaths.MAX_BYTES) {
            return bindInPlace(path);
        }
        createPrivateDirectory(directory, path);
        try {
            NativeServerSocket server = NativeServerSocket.bind(UnixDomainSocketAddress.of(temporary));
            try {
                Files.setPosixFilePermissions(temporary, OWNER_READ_WRITE);
                Files.createLink(path, temporary);
                return server;
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } finally {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(directory);
        }
    }

    /** Creates the private directory; a failure names the socket path, not the directory's made-up name. */
    private static void createPrivateDirectory(Path directory, Path socket) throws IOException {
        try {
            Files.createDirectory(directory, OWNER_ONLY_DIRECTORY);
        } catch (NoSuchFileException e) {
            throw withCause(new NoSuchFileException(socket.toString(), null, "its directory does not exist"), e);
        } catch (AccessDeniedException e) {
            throw withCause(new AccessDeniedException(socket.toString(), null,
                    "no permission to create files in its directory"), e);
        }
    }

    private static <E extends IOException> E withCause(E exception, Throwable cause) {
        exception.initCause(cause);
        return exception;
    }

    private static NativeServerSocket bindInPlace(Path path) throws IOException {
        NativeServerSocket server = NativeServerSocket.bind(UnixDomainSocketAddress.of(path));
        try {
            Files.setPosixFilePermissions(path, OWNER_READ_WRITE);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
