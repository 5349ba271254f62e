package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeServerSocket;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.nativeio.VsockAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The AF_VSOCK socket layer against a real kernel: connect, refusal, addresses, half-close,
 * close waking blocked calls, connect timeout. Runs only inside user-mode Linux with the vsock
 * loopback transport (CID 1), started by {@code scripts/vsock-e2e}: never on a build machine,
 * whose only vsock peer is its host.
 */
public class VsockSocketSuite {
    private static final Duration SAFETY = Duration.ofSeconds(20);
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @AfterAll
    static void stopThreads() {
        THREADS.shutdownNow();
    }

    private static NativeServerSocket listenAnyPort() throws IOException {
        return NativeServerSocket.bind(VsockAddress.anyCid(VsockAddress.PORT_ANY));
    }

    private static VsockAddress localTarget(NativeServerSocket server) {
        return VsockAddress.of(VsockAddress.CID_LOCAL, ((VsockAddress) server.localAddress()).port());
    }

    @Test
    void connectsThroughTheKernelAndCarriesBytesBothWays() throws Exception {
        try (NativeServerSocket server = listenAnyPort()) {
            Future<byte[]> echoed = THREADS.submit(() -> echoOnce(server));
            try (NativeSocket client = NativeSocket.connect(localTarget(server), Deadline.after(SAFETY))) {
                byte[] payload = new byte[1 << 20];
                new java.util.Random(7).nextBytes(payload);
                Future<?> writer = THREADS.submit(() -> {
                    client.write(payload, 0, payload.length, Deadline.after(SAFETY));
                    client.shutdownOutput();
                    return null;
                });
                assertThat(readAll(client)).isEqualTo(payload);
                writer.get(20, TimeUnit.SECONDS);
            }
            assertThat(echoed.get(20, TimeUnit.SECONDS)).hasSize(1 << 20);
        }
    }

    @Test
    void connectToAPortNobodyListensOnFailsFastWithConnectionReset() throws IOException {
        int port;
        try (NativeServerSocket probe = listenAnyPort()) {
            port = ((VsockAddress) probe.localAddress()).port();
        }
        VsockAddress nobody = VsockAddress.of(VsockAddress.CID_LOCAL, port);
        assertThatThrownBy(() -> NativeSocket.connect(nobody, Deadline.after(SAFETY)))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("connect " + nobody + ": ECONNRESET (Connection reset by peer)")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ECONNRESET));
    }

    @Test
    void reportsPeerCidAndPortOnBothSides() throws Exception {
        try (NativeServerSocket server = listenAnyPort()) {
            VsockAddress target = localTarget(server);
            Future<NativeSocket> accepted = THREADS.submit(() -> server.accept(Deadline.after(SAFETY)));
            try (NativeSocket client = NativeSocket.connect(target, Deadline.after(SAFETY));
                    NativeSocket peer = accepted.get(20, TimeUnit.SECONDS)) {
                assertThat(client.remoteAddress()).isEqualTo(target);
                VsockAddress clientLocal = (VsockAddress) client.localAddress();
                VsockAddress seenByServer = (VsockAddress) peer.remoteAddress();
                assertThat(seenByServer.cid()).isEqualTo(VsockAddress.CID_LOCAL);
                assertThat(seenByServer.port()).isEqualTo(clientLocal.port());
                assertThat(((VsockAddress) peer.localAddress()).port()).isEqualTo(target.port());
            }
        }
    }

    @Test
    void halfCloseDeliversEndOfStreamWhileTheOtherDirectionStaysOpen() throws Exception {
        try (NativeServerSocket server = listenAnyPort()) {
            Future<NativeSocket> accepted = THREADS.submit(() -> server.accept(Deadline.after(SAFETY)));
            try (NativeSocket client = NativeSocket.connect(localTarget(server), Deadline.after(SAFETY));
                    NativeSocket peer = accepted.get(20, TimeUnit.SECONDS)) {
                client.write("request".getBytes(), 0, 7, Deadline.after(SAFETY));
                client.shutdownOutput();
                assertThat(new String(readAll(peer))).isEqualTo("request");
                peer.write("reply".getBytes(), 0, 5, Deadline.after(SAFETY));
                peer.shutdownOutput();
                assertThat(new String(readAll(client))).isEqualTo("reply");
            }
        }
    }

    @Test
    void closeWakesAThreadBlockedInRead() throws Exception {
        try (NativeServerSocket server = listenAnyPort()) {
            Future<NativeSocket> accepted = THREADS.submit(() -> server.accept(Deadline.after(SAFETY)));
            NativeSocket client = NativeSocket.connect(localTarget(server), Deadline.after(SAFETY));
            try (NativeSocket peer = accepted.get(20, TimeUnit.SECONDS)) {
                Future<Integer> reader = THREADS.submit(() -> client.read(new byte[16], 0, 16, Deadline.after(SAFETY)));
                letItBlock(reader);
                client.close();
                assertThatThrownBy(() -> reader.get(20, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(AsynchronousCloseException.class);
                assertThat(peer.isOpen()).isTrue();
            }
        }
    }

    @Test
    void closeWakesAThreadBlockedInAccept() throws Exception {
        NativeServerSocket server = listenAnyPort();
        Future<NativeSocket> accepting = THREADS.submit(() -> server.accept(Deadline.after(SAFETY)));
        letItBlock(accepting);
        server.close();
        assertThatThrownBy(() -> accepting.get(20, TimeUnit.SECONDS))
                .cause().isInstanceOfAny(AsynchronousCloseException.class, ClosedChannelException.class);
    }

    @Test
    void connectGivesUpWhenItsDeadlineHasPassed() throws IOException {
        // A vsock connect is asynchronous in the kernel (EINPROGRESS, then the peer's answer),
        // so a deadline that has already passed must end it with a timeout, not a hang.
        try (NativeServerSocket server = listenAnyPort()) {
            assertThatThrownBy(() -> NativeSocket.connect(localTarget(server), Deadline.after(Duration.ZERO)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("connect vsock://1:");
        }
    }

    @Test
    void readGivesUpAfterItsTimeout() throws Exception {
        try (NativeServerSocket server = listenAnyPort()) {
            Future<NativeSocket> accepted = THREADS.submit(() -> server.accept(Deadline.after(SAFETY)));
            try (NativeSocket client = NativeSocket.connect(localTarget(server), Deadline.after(SAFETY));
                    NativeSocket peer = accepted.get(20, TimeUnit.SECONDS)) {
                assertThatThrownBy(() -> client.read(new byte[1], 0, 1, Deadline.after(Duration.ofMillis(200))))
                        .isInstanceOf(SocketTimeoutException.class);
                assertThat(peer.isOpen()).isTrue();
            }
        }
    }

    /**
     * Gives a task time to block in its call before the test closes the socket under it. The
     * asserted outcome is the same if it has not blocked yet (the call then finds the socket
     * closed), so this is no timing assertion; it only makes the interesting case the usual one.
     */
    private static void letItBlock(Future<?> task) throws InterruptedException {
        if (!task.isDone()) {
            Thread.sleep(100);
        }
    }

    private static byte[] echoOnce(NativeServerSocket server) throws IOException {
        try (NativeSocket s = server.accept(Deadline.after(SAFETY))) {
            byte[] all = readAll(s);
            s.write(all, 0, all.length, Deadline.after(SAFETY));
            s.shutdownOutput();
            return all;
        }
    }

    private static byte[] readAll(NativeSocket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = s.read(buf, 0, buf.length, Deadline.after(SAFETY))) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
