package io.vsockexec.transport;

import static io.vsockexec.transport.TestIo.bytes;
import static io.vsockexec.transport.TestIo.patience;
import static io.vsockexec.transport.TestIo.readExactly;
import static io.vsockexec.transport.TestIo.readToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Timeout;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.VsockAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every transport shares, written once and run over each kind that can be tested
 * on this machine: Unix, emulated hybrid vsock and TCP on loopback, each dialed through the
 * native layer and through the JDK ({@link DialOptions#jdkChannel(boolean)}). (AF_VSOCK itself is
 * never connected here; see {@link VsockTransportTest}.)
 */
// Listeners and connections are often held by try-with-resources only so that they close.
@SuppressWarnings("try")
class ConnectionRoundTripTest {
    private static final Timeout SHORT = Timeout.of(Duration.ofMillis(100));

    @TempDir
    Path dir;

    /** How to listen for one kind of endpoint, and what its connections report as peers. */
    record Kind(String name, ListenerFactory factory, PeerCheck peers, DialOptions dial) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface ListenerFactory {
        Listener listen(Path dir) throws IOException;
    }

    interface PeerCheck {
        void verify(Listener listener, Connection dialed, Connection accepted) throws IOException;
    }

    /** A listener of one kind and both ends of a connection to it; closing closes all three. */
    record Connected(Listener listener, Connection dialed, Connection accepted) implements AutoCloseable {
        static Connected open(Kind kind, Path dir) throws IOException {
            Listener listener = kind.factory().listen(dir);
            Connection dialed = null;
            try {
                dialed = Transports.dial(listener.endpoint(), patience(), kind.dial());
                return new Connected(listener, dialed, listener.accept(patience()));
            } catch (IOException | RuntimeException e) {
                if (dialed != null) {
                    dialed.close();
                }
                listener.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            accepted.close();
            dialed.close();
            listener.close();
        }
    }

    static Stream<Kind> kinds() {
        return Stream.concat(nativeKinds(), jdkKinds());
    }

    static Stream<Kind> nativeKinds() {
        return kinds(DialOptions.defaults(), "");
    }

    static Stream<Kind> jdkKinds() {
        return kinds(DialOptions.defaults().jdkChannel(true), " (JDK)");
    }

    private static Stream<Kind> kinds(DialOptions dial, String suffix) {
        return Stream.of(
                new Kind("unix" + suffix, d -> Transports.listen(Endpoint.parse("unix://" + d.resolve("s.sock"))),
                        ConnectionRoundTripTest::unixPeers, dial),
                new Kind("hybrid" + suffix,
                        d -> Transports.listen(Endpoint.parse("hybrid://" + d.resolve("vm.sock") + ":5000")),
                        ConnectionRoundTripTest::hybridPeers, dial),
                new Kind("tcp" + suffix, d -> Transports.listen(Endpoint.parse("tcp://127.0.0.1:0")),
                        ConnectionRoundTripTest::tcpPeers, dial));
    }

    private static void unixPeers(Listener listener, Connection dialed, Connection accepted) {
        UnixDomainSocketAddress path = ((UnixEndpoint) listener.endpoint()).address();
        assertThat(dialed.remoteAddress()).isEqualTo(path);
        // The dialer binds no name; the listening path stands in for it, as it does natively.
        assertThat(accepted.remoteAddress()).isEqualTo(path);
    }

    private static void hybridPeers(Listener listener, Connection dialed, Connection accepted) {
        assertThat(dialed.remoteAddress()).isEqualTo(((HybridEndpoint) listener.endpoint()).socketAddress());
        // What a guest sees on a real VM: the host's CID and the local port the VM assigned.
        assertThat(accepted.remoteAddress()).isInstanceOfSatisfying(VsockAddress.class, peer -> {
            assertThat(peer.cid()).isEqualTo(VsockAddress.CID_HOST);
            assertThat(Integer.toUnsignedLong(peer.port())).isGreaterThanOrEqualTo(HybridVmSocket.LOCAL_PORT_BASE);
        });
    }

    private static void tcpPeers(Listener listener, Connection dialed, Connection accepted) throws IOException {
        int port = ((TcpEndpoint) listener.endpoint()).port();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(dialed.remoteAddress()).isEqualTo(new InetSocketAddress(loopback, port));
        assertThat(accepted.remoteAddress()).isEqualTo(dialed.localAddress());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void carriesBytesBothWays(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().output().write(bytes("ping from the host"));
            assertThat(readExactly(c.accepted().input(), 18)).isEqualTo("ping from the host");
            c.accepted().output().write(bytes("pong from the guest"));
            assertThat(readExactly(c.dialed().input(), 19)).isEqualTo("pong from the guest");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anAcceptedConnectionSaysHowManyBytesHaveArrived(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            assertThat(c.accepted().input().available()).isZero();
            c.dialed().output().write(new byte[5000]);
            Deadline patience = patience();
            while (c.accepted().input().available() < 5000 && !patience.hasPassed()) {
                Thread.sleep(1);
            }
            assertThat(c.accepted().input().available()).isEqualTo(5000);
            c.accepted().input().readNBytes(4000);
            assertThat(c.accepted().input().available()).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void halfCloseLetsThePeerReadEndOfStreamAndStillAnswer(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().output().write(bytes("request"));
            c.dialed().shutdownOutput();
            assertThat(readToEnd(c.accepted().input())).isEqualTo("request");
            c.accepted().output().write(bytes("answer after end of input"));
            c.accepted().shutdownOutput();
            assertThat(readToEnd(c.dialed().input())).isEqualTo("answer after end of input");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void reportsEndpointAndPeerOnBothSides(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            assertThat(c.dialed().endpoint()).isEqualTo(c.listener().endpoint());
            assertThat(c.accepted().endpoint()).isEqualTo(c.listener().endpoint());
            kind.peers().verify(c.listener(), c.dialed(), c.accepted());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void closeWakesABlockedRead(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            var reader = TestIo.start(() -> c.dialed().input().read()).awaitParked();
            c.dialed().close();
            // AsynchronousCloseException if the reader was parked, its parent if it had not started.
            assertThat(reader.failure()).isInstanceOf(ClosedChannelException.class);
            assertThat(c.dialed().isOpen()).isFalse();
            assertThat(c.accepted().isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void closeWakesABlockedAccept(Kind kind) throws Exception {
        Listener listener = kind.factory().listen(dir);
        var acceptor = TestIo.start(() -> listener.accept(Deadline.none())).awaitParked();
        listener.close();
        assertThat(acceptor.failure()).isInstanceOf(ClosedChannelException.class);
        assertThat(listener.isOpen()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("nativeKinds")
    void readTimeoutFiresAndLeavesTheConnectionUsable(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().readTimeout(SHORT);
            assertThatThrownBy(() -> c.dialed().input().read())
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("read " + c.listener().endpoint() + ": timed out after 100ms");
            c.accepted().output().write(bytes("late"));
            assertThat(readExactly(c.dialed().input(), 4)).isEqualTo("late");
        }
    }

    @ParameterizedTest
    @MethodSource("jdkKinds")
    void readTimeoutFiresAndClosesAConnectionDialedThroughTheJdk(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().readTimeout(SHORT);
            assertThatThrownBy(() -> c.dialed().input().read())
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("read " + c.listener().endpoint() + ": timed out after 100ms");
            assertThat(c.dialed().isOpen()).isFalse();
            assertThat(c.accepted().input().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("jdkKinds")
    void aConnectionDialedThroughTheJdkHasNoDescriptor(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            assertThatThrownBy(() -> c.dialed().descriptor()).isInstanceOf(UnsupportedOperationException.class);
            assertThat(c.accepted().descriptor().isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("jdkKinds")
    void anInterruptEndsABlockedReadOnAConnectionDialedThroughTheJdk(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            var reader = TestIo.start(() -> c.dialed().input().read()).awaitParked();
            reader.interrupt();
            assertThat(reader.failure()).isInstanceOf(java.io.InterruptedIOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void connectionDeadlineFiresBeforeALongerReadTimeout(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().readTimeout(Timeout.of(Duration.ofHours(1)));
            c.dialed().deadline(Deadline.after(Duration.ofMillis(100)));
            assertThatThrownBy(() -> c.dialed().input().read(new byte[8]))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("read " + c.listener().endpoint() + ": timed out after 100ms");
            assertThat(c.accepted().isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void writeTimeoutFiresWhenThePeerDoesNotRead(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().writeTimeout(SHORT);
            // More than any socket buffers hold, so the write must wait for a reader that never comes.
            byte[] tooMuch = new byte[64 << 20];
            assertThatThrownBy(() -> c.dialed().output().write(tooMuch))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("write " + c.listener().endpoint() + ": timed out after 100ms");
            assertThat(c.accepted().isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void acceptTimesOutNamingTheEndpoint(Kind kind) throws Exception {
        try (Listener listener = kind.factory().listen(dir)) {
            assertThatThrownBy(() -> listener.accept(Deadline.after(Duration.ofMillis(50))))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("accept " + listener.endpoint() + ": timed out after 50ms");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void dialingAClosedListenerFailsNamingTheEndpoint(Kind kind) throws Exception {
        Listener listener = kind.factory().listen(dir);
        Endpoint endpoint = listener.endpoint();
        listener.close();
        assertThatThrownBy(() -> Transports.dial(endpoint, patience(), kind.dial()))
                .isInstanceOf(ErrnoException.class)
                .hasMessageStartingWith("connect " + endpoint + ": ");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void closingAfterUseByTheThreadThatUsedItEndsThePeersStream(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().output().write(bytes("request"));
            assertThat(readExactly(c.accepted().input(), 7)).isEqualTo("request");
            c.accepted().output().write(bytes("answer"));
            assertThat(readExactly(c.dialed().input(), 6)).isEqualTo("answer");
            c.dialed().close();
            assertThat(c.dialed().isOpen()).isFalse();
            assertThat(c.accepted().input().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void closeByTheThreadThatWroteStillWakesAnotherThreadsBlockedRead(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            CountDownLatch readerBlocked = new CountDownLatch(1);
            var writer = TestIo.start(() -> {
                c.dialed().output().write(bytes("request"));
                readerBlocked.await();
                c.dialed().close();
                return "closed";
            });
            assertThat(readExactly(c.accepted().input(), 7)).isEqualTo("request");
            var reader = TestIo.start(() -> c.dialed().input().read()).awaitParked();
            readerBlocked.countDown();
            assertThat(writer.result()).isEqualTo("closed");
            assertThat(reader.failure()).isInstanceOf(ClosedChannelException.class);
            assertThat(c.accepted().isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void closingAStreamClosesTheConnection(Kind kind) throws Exception {
        try (Connected c = Connected.open(kind, dir)) {
            c.dialed().output().close();
            assertThat(c.dialed().isOpen()).isFalse();
            assertThat(c.accepted().input().read()).isEqualTo(-1);
        }
    }
}
