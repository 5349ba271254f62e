package io.vsockexec.transport;

import static io.vsockexec.transport.TestIo.bytes;
import static io.vsockexec.transport.TestIo.patience;
import static io.vsockexec.transport.TestIo.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Timeout;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeServerSocket;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.nativeio.VsockAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hybrid handshake from both ends: the dialer against fake VMs, and the emulated VM against raw clients. */
// Listeners and connections are often held by try-with-resources only so that they close.
@SuppressWarnings("try")
class HybridTransportTest {
    @TempDir
    Path dir;

    private Path socket() {
        return dir.resolve("vm.sock");
    }

    private HybridEndpoint endpoint(long port) {
        return new HybridEndpoint(socket(), port);
    }

    // ---- the dialer, against a fake VM that says exactly what a test wants ----

    /**
     * A fake VM socket: accepts one client, reads its request line, sends {@code reply}, and then
     * either hangs up or waits for the client to hang up. Returns the request line it read.
     */
    private TestIo.Background<String> fakeVm(NativeServerSocket server, String reply, boolean hangUp) {
        return TestIo.start(() -> {
            try (NativeSocket client = server.accept(patience())) {
                String request = readLine(client);
                byte[] out = reply.getBytes(StandardCharsets.ISO_8859_1);
                client.write(out, 0, out.length, patience());
                if (!hangUp) {
                    awaitHangUp(client);
                }
                return request;
            }
        });
    }

    private NativeServerSocket fakeSocket() throws IOException {
        return NativeServerSocket.bind(UnixDomainSocketAddress.of(socket()));
    }

    @Test
    void dialAsksForTheGuestPortAndKeepsBytesSentRightAfterOk() throws Exception {
        try (NativeServerSocket server = fakeSocket()) {
            // "OK" and the first stream bytes in one write: the handshake must not swallow them.
            var vm = fakeVm(server, "OK 1073741824\nhello", false);
            try (Connection connection = Transports.dial(endpoint(5000), patience())) {
                byte[] first = new byte[64];
                int n = connection.input().read(first);
                assertThat(new String(first, 0, n, StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            assertThat(vm.result()).isEqualTo("CONNECT 5000\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOPE\n", "OK\n", "OK x\n", "OK 1 2\n", "ok 1\n", "OK 1\r\n", "OK -1\n", "\n"})
    void malformedReplyIsAHandshakeErrorNamingSocketPortAndReply(String reply) throws Exception {
        String line = reply.substring(0, reply.length() - 1);
        try (NativeServerSocket server = fakeSocket()) {
            var vm = fakeVm(server, reply, false);
            assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience()))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage(endpoint(5000) + ": unexpected handshake reply " + Text.quote(line)
                            + "; expected \"OK <port>\"")
                    .satisfies(e -> assertThat(((HandshakeException) e).reply()).isEqualTo(line));
            vm.result();
        }
    }

    @Test
    void overlongReplyIsRefusedAfterSixtyFourBytes() throws Exception {
        try (NativeServerSocket server = fakeSocket()) {
            var vm = fakeVm(server, "A".repeat(100), false);
            assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience()))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage(endpoint(5000) + ": handshake reply longer than 64 bytes: \"" + "A".repeat(64) + "\"...");
            vm.result();
        }
    }

    @Test
    void hangUpInTheMiddleOfTheReplyIsAHandshakeError() throws Exception {
        try (NativeServerSocket server = fakeSocket()) {
            var vm = fakeVm(server, "OK 1", true);
            assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience()))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage(endpoint(5000) + ": the VM closed the connection in the middle of its handshake reply \"OK 1\"")
                    .satisfies(e -> assertThat(((HandshakeException) e).reply()).isEqualTo("OK 1"));
            vm.result();
        }
    }

    @Test
    void silentVmTimesOutTheHandshake() throws Exception {
        try (NativeServerSocket server = fakeSocket()) {
            var vm = fakeVm(server, "", false);
            DialOptions options = DialOptions.defaults().handshakeTimeout(Timeout.of(Duration.ofMillis(100)));
            assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience(), options))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("handshake " + endpoint(5000) + ": timed out after 100ms");
            assertThat(vm.result()).isEqualTo("CONNECT 5000\n");
        }
    }

    @Test
    void dialDeadlineBoundsTheHandshakeWhenItIsEarlier() throws Exception {
        try (NativeServerSocket server = fakeSocket()) {
            var vm = fakeVm(server, "", false);
            assertThatThrownBy(() -> Transports.dial(endpoint(5000), Deadline.after(Duration.ofMillis(100))))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("handshake " + endpoint(5000) + ": timed out after 100ms");
            vm.result();
        }
    }

    @Test
    void missingSocketFileFailsNamingTheEndpoint() {
        assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience()))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("connect " + endpoint(5000) + ": ENOENT (No such file or directory)");
    }

    @Test
    void staleSocketFileIsConnectionRefusedNamingTheEndpoint() throws Exception {
        NativeServerSocket.bind(UnixDomainSocketAddress.of(socket())).close(); // leaves the file behind
        assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience()))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("connect " + endpoint(5000) + ": ECONNREFUSED (Connection refused)");
    }

    // ---- the emulated VM ----

    @Test
    void portNobodyListensOnIsRefusedWithoutAWord() throws Exception {
        try (Listener listener = Transports.listen(endpoint(5000))) {
            assertThatThrownBy(() -> Transports.dial(endpoint(5001), patience()))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage(endpoint(5001) + ": the VM closed the connection during the handshake"
                            + " (nothing listens on guest port 5001?)")
                    .satisfies(e -> assertThat(((HandshakeException) e).endpoint()).isEqualTo(endpoint(5001)));
        }
    }

    @Test
    void lowercaseConnectIsAcceptedAndThePeerIsTheAssignedLocalPort() throws Exception {
        try (Listener listener = Transports.listen(endpoint(5000));
                NativeSocket raw = NativeSocket.connect(UnixDomainSocketAddress.of(socket()), patience())) {
            write(raw, "connect 5000\n");
            String reply = readLine(raw);
            assertThat(reply).matches("OK [0-9]+\n");
            long localPort = Long.parseLong(reply.substring(3, reply.length() - 1));
            try (Connection accepted = listener.accept(patience())) {
                assertThat(accepted.remoteAddress()).isEqualTo(VsockAddress.of(VsockEndpoint.CID_HOST, localPort));
                accepted.output().write(bytes("from the guest"));
                byte[] buf = new byte[14];
                assertThat(raw.read(buf, 0, buf.length, patience())).isEqualTo(14);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CONNECT abc\n", "HELLO 5000\n", "CONNECT\n", "CONNECT 5000 5001\n", "CONNECT -5000\n",
        "CONNECT 99999999999\n", "CONNECT 00000000000000000000000005000\n", "\n"
    })
    void malformedRequestIsRefusedByClosing(String request) throws Exception {
        try (Listener listener = Transports.listen(endpoint(5000));
                NativeSocket raw = NativeSocket.connect(UnixDomainSocketAddress.of(socket()), patience())) {
            write(raw, request);
            awaitHangUp(raw);
        }
    }

    @Test
    void requestCutShortIsRefusedByClosing() throws Exception {
        try (Listener listener = Transports.listen(endpoint(5000));
                NativeSocket raw = NativeSocket.connect(UnixDomainSocketAddress.of(socket()), patience())) {
            write(raw, "CONNECT 5000");
            raw.shutdownOutput();
            awaitHangUp(raw);
        }
    }

    @Test
    void silentClientTimesOutWithoutHoldingUpOthers() throws Exception {
        ListenOptions options = ListenOptions.defaults().handshakeTimeout(Timeout.of(Duration.ofMillis(200)));
        try (Listener listener = Transports.listen(endpoint(5000), options);
                NativeSocket silent = NativeSocket.connect(UnixDomainSocketAddress.of(socket()), patience())) {
            try (Connection dialed = Transports.dial(endpoint(5000), patience());
                    Connection accepted = listener.accept(patience())) {
                dialed.output().write(bytes("served"));
                assertThat(readExactly(accepted.input(), 6)).isEqualTo("served");
            }
            // The silent one is closed once its handshake time is up.
            awaitHangUp(silent);
        }
    }

    @Test
    void stalledHandshakesShedTheOldestAndLockNobodyOut() throws Exception {
        // A handshake timeout far beyond the test: only shedding can close a stalled client here.
        ListenOptions options = ListenOptions.defaults().handshakeTimeout(Timeout.of(Duration.ofMinutes(10)))
                .maxPendingHandshakes(3);
        NativeSocket[] stalled = new NativeSocket[3];
        try (Listener listener = Transports.listen(endpoint(5000), options)) {
            for (int i = 0; i < stalled.length; i++) {
                stalled[i] = NativeSocket.connect(UnixDomainSocketAddress.of(socket()), patience());
                write(stalled[i], "CONNECT 5000"); // no newline: the handshake never completes
            }
            try (Connection dialed = Transports.dial(endpoint(5000), patience());
                    Connection accepted = listener.accept(patience())) {
                dialed.output().write(bytes("served"));
                assertThat(readExactly(accepted.input(), 6)).isEqualTo("served");
            }
            awaitHangUp(stalled[0]);
        } finally {
            for (NativeSocket s : stalled) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    @Test
    void twoPortsShareOneSocketFileUntilTheLastListenerCloses() throws Exception {
        Listener exec = Transports.listen(endpoint(5000));
        Listener relay = Transports.listen(endpoint(5002));
        try (Connection toRelay = Transports.dial(endpoint(5002), patience());
                Connection toExec = Transports.dial(endpoint(5000), patience())) {
            toRelay.output().write(bytes("R"));
            toExec.output().write(bytes("E"));
            try (Connection atExec = exec.accept(patience()); Connection atRelay = relay.accept(patience())) {
                assertThat(readExactly(atExec.input(), 1)).isEqualTo("E");
                assertThat(readExactly(atRelay.input(), 1)).isEqualTo("R");
                assertThat(atExec.endpoint()).isEqualTo(endpoint(5000));
                assertThat(atRelay.endpoint()).isEqualTo(endpoint(5002));
            }
        }
        exec.close();
        assertThat(socket()).exists();
        try (Connection stillServed = Transports.dial(endpoint(5002), patience()); Connection c = relay.accept(patience())) {
            assertThat(c.isOpen()).isTrue();
        }
        assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience())).isInstanceOf(HandshakeException.class);
        relay.close();
        assertThat(socket()).doesNotExist();
    }

    @Test
    void listeningTwiceOnOnePortIsAddressInUse() throws Exception {
        try (Listener first = Transports.listen(endpoint(5000))) {
            assertThatThrownBy(() -> Transports.listen(endpoint(5000)))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("listen " + endpoint(5000) + ": EADDRINUSE (Address already in use)");
            assertThat(first.isOpen()).isTrue();
        }
    }

    @Test
    void fullBacklogRefusesFurtherConnections() throws Exception {
        try (Listener listener = Transports.listen(endpoint(5000), ListenOptions.defaults().backlog(1));
                Connection waiting = Transports.dial(endpoint(5000), patience())) {
            assertThatThrownBy(() -> Transports.dial(endpoint(5000), patience()))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessageContaining("the VM closed the connection during the handshake");
            try (Connection accepted = listener.accept(patience())) {
                assertThat(accepted.isOpen()).isTrue();
            }
            // A place is free again.
            try (Connection next = Transports.dial(endpoint(5000), patience())) {
                assertThat(next.isOpen()).isTrue();
            }
        }
    }

    @Test
    void closingAListenerClosesConnectionsNobodyAccepted() throws Exception {
        Listener listener = Transports.listen(endpoint(5000));
        try (Connection dialed = Transports.dial(endpoint(5000), patience())) {
            listener.close();
            assertThat(dialed.input().read()).isEqualTo(-1);
        }
    }

    @Test
    void socketFileOfTheEmulatedVmIsPrivate() throws Exception {
        try (Listener listener = Transports.listen(endpoint(5000))) {
            assertThat(Files.getPosixFilePermissions(socket()))
                    .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * Expects the peer to hang up, with no data first. A Unix socket closed with unread bytes
     * (an overlong line the other side stopped reading) resets rather than ends the stream; both
     * mean the peer closed.
     */
    private static void awaitHangUp(NativeSocket socket) throws IOException {
        byte[] buf = new byte[64];
        try {
            int n = socket.read(buf, 0, buf.length, patience());
            if (n >= 0) {
                throw new AssertionError("expected the peer to hang up, got " + Text.quote(buf, n));
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ECONNRESET) {
                throw e;
            }
        }
    }

    private static void write(NativeSocket socket, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        socket.write(b, 0, b.length, patience());
    }

    /** Reads through the next newline (kept) or the end of stream. */
    private static String readLine(NativeSocket socket) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (socket.read(one, 0, 1, patience()) > 0) {
            line.write(one[0]);
            if (one[0] == '\n') {
                break;
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
