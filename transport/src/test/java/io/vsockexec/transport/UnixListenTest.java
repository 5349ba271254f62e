package io.vsockexec.transport;

import static io.vsockexec.transport.TestIo.bytes;
import static io.vsockexec.transport.TestIo.patience;
import static io.vsockexec.transport.TestIo.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What listening on a Unix socket does to the file system. */
// Listeners and connections are often held by try-with-resources only so that they close.
@SuppressWarnings("try")
class UnixListenTest {
    @TempDir
    Path dir;

    private UnixEndpoint endpoint(Path path) {
        return new UnixEndpoint(path);
    }

    @Test
    void socketFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
        Path path = dir.resolve("agent.sock");
        try (Listener listener = Transports.listen(endpoint(path))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        }
    }

    @Test
    void leavesNoPrivateDirectoryBehind() throws Exception {
        Path path = dir.resolve("agent.sock");
        try (Listener listener = Transports.listen(endpoint(path)); Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(path);
        }
    }

    @Test
    void pathTooLongForAPrivateDirectoryIsStillMadePrivate() throws Exception {
        // The private bind path adds 14 bytes to the directory; make that overflow sockaddr_un
        // while the socket's own path (2 bytes for the name) still fits.
        Path deep = dir;
        while (deep.toString().length() < 100) {
            deep = deep.resolve("d");
        }
        Files.createDirectories(deep);
        Path path = deep.resolve("s");
        try (Listener listener = Transports.listen(endpoint(path));
                Connection dialed = Transports.dial(listener.endpoint(), patience());
                Connection accepted = listener.accept(patience())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            dialed.output().write(bytes("x"));
            assertThat(readExactly(accepted.input(), 1)).isEqualTo("x");
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path path = dir.resolve("agent.sock");
        NativeServerSocket.bind(UnixDomainSocketAddress.of(path)).close(); // a crashed server's leftover
        assertThat(path).exists();
        try (Listener listener = Transports.listen(endpoint(path));
                Connection dialed = Transports.dial(listener.endpoint(), patience());
                Connection accepted = listener.accept(patience())) {
            dialed.output().write(bytes("fresh"));
            assertThat(readExactly(accepted.input(), 5)).isEqualTo("fresh");
        }
    }

    @Test
    void liveSocketIsAddressInUseAndKeepsServing() throws Exception {
        Path path = dir.resolve("agent.sock");
        try (Listener first = Transports.listen(endpoint(path))) {
            assertThatThrownBy(() -> Transports.listen(endpoint(path)))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("listen unix://" + path + ": EADDRINUSE (Address already in use)")
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EADDRINUSE));
            try (Connection dialed = Transports.dial(first.endpoint(), patience());
                    Connection accepted = first.accept(patience())) {
                assertThat(accepted.isOpen()).isTrue();
            }
        }
    }

    @Test
    void regularFileAtThePathIsNeitherDeletedNorReplaced() throws Exception {
        Path path = dir.resolve("agent.sock");
        Files.writeString(path, "precious");
        assertThatThrownBy(() -> Transports.listen(endpoint(path)))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("exists and is not a socket");
        assertThat(path).hasContent("precious");
    }

    @Test
    void directoryAtThePathIsRefused() throws Exception {
        Path path = Files.createDirectory(dir.resolve("agent.sock"));
        assertThatThrownBy(() -> Transports.listen(endpoint(path))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(path).isDirectory();
    }

    @Test
    void missingDirectoryIsReportedForTheSocketPath() {
        Path path = dir.resolve("missing").resolve("agent.sock");
        assertThatThrownBy(() -> Transports.listen(endpoint(path)))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(path + ": its directory does not exist");
    }

    @Test
    void closeRemovesTheSocketFile() throws Exception {
        Path path = dir.resolve("agent.sock");
        Transports.listen(endpoint(path)).close();
        assertThat(path).doesNotExist();
    }

    @Test
    void closeLeavesAFileThatReplacedTheSocket() throws Exception {
        Path path = dir.resolve("agent.sock");
        Listener listener = Transports.listen(endpoint(path));
        Files.delete(path);
        Files.writeString(path, "someone else's", StandardCharsets.UTF_8);
        listener.close();
        assertThat(path).hasContent("someone else's");
    }
}
