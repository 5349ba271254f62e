package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.Sockaddr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeSocketTest {
    /** Each task on its own virtual thread: the common pool has one thread on two cores. */
    private static final java.util.concurrent.Executor VIRTUAL =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    @TempDir
    Path dir;

    @Test
    void unixSocketCarriesBytesBothWaysAndHalfCloses() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        try (NativeServerSocket server = NativeServerSocket.bind(address)) {
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> echoOnce(server), VIRTUAL);
            try (NativeSocket client = NativeSocket.connect(address, Deadline.after(Duration.ofSeconds(5)))) {
                byte[] payload = "hello through a native socket".getBytes();
                client.write(payload, 0, payload.length, Deadline.none());
                client.shutdownOutput();
                byte[] back = readAll(client);
                assertThat(back).isEqualTo(payload);
            }
            assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("hello through a native socket".getBytes());
        }
    }

    @Test
    void tcpLoopbackRoundTripReportsPeerAddress() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (NativeServerSocket server = NativeServerSocket.bind(any)) {
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            assertThat(bound.getPort()).isPositive();
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> echoOnce(server), VIRTUAL);
            try (NativeSocket client = NativeSocket.connect(bound, Deadline.after(Duration.ofSeconds(5)))) {
                client.write(new byte[] {1, 2, 3}, 0, 3, Deadline.none());
                client.shutdownOutput();
                assertThat(readAll(client)).containsExactly(1, 2, 3);
                assertThat(client.remoteAddress()).isEqualTo(bound);
            }
            echoed.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void acceptedTcpSocketHasNagleOff() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (NativeServerSocket server = NativeServerSocket.bind(any);
                NativeSocket client = NativeSocket.connect(server.localAddress(), Deadline.after(Duration.ofSeconds(5)));
                NativeSocket accepted = server.accept(Deadline.after(Duration.ofSeconds(5)))) {
            int noDelay = accepted.descriptor().withFd(fd -> Libc.getIntOption(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY));
            assertThat(noDelay).isOne();
        }
    }

    @Test
    void readTimesOutWhenPeerSendsNothing() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("t.sock"));
        try (NativeServerSocket server = NativeServerSocket.bind(address);
                NativeSocket client = NativeSocket.connect(address, Deadline.none());
                NativeSocket accepted = server.accept(Deadline.after(Duration.ofSeconds(5)))) {
            Deadline deadline = Deadline.after(Duration.ofMillis(100));
            assertThatThrownBy(() -> client.read(new byte[1], 0, 1, deadline))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("read");
            // It gave up at its deadline, not before: the deadline's own clock says so, no stopwatch.
            assertThat(deadline.hasPassed()).isTrue();
            assertThat(accepted.isOpen()).isTrue();
        }
    }

    @Test
    void closeFromAnotherThreadWakesBlockedRead() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("c.sock"));
        try (NativeServerSocket server = NativeServerSocket.bind(address);
                NativeSocket client = NativeSocket.connect(address, Deadline.none());
                NativeSocket accepted = server.accept(Deadline.none())) {
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.read(new byte[8], 0, 8, Deadline.none());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, VIRTUAL);
            Thread.sleep(100); // give the reader time to park; the assertion below does not depend on it
            client.close();
            assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().cause().isInstanceOf(AsynchronousCloseException.class);
        }
    }

    /**
     * A virtual thread's park may return before the socket is ready: Thread.sleep leaves a park
     * permit behind on a virtual thread, so its next wait returns at once. Connect must then wait
     * on, not hand out a socket still connecting, whose first write fails with ENOTCONN (what
     * reset a share of the abuse mix's probes over AF_VSOCK, whose handshake is never immediate).
     * A listener of backlog 0 holds one connection; the kernel drops the next one's SYN, which
     * leaves that connect under way until its deadline.
     */
    @Test
    void connectWaitsForTheConnectionWhenItsThreadWakesEarly() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Descriptor listener = Descriptor.adoptNonBlocking(NativeSocket.newSocket(loopback, "listener"), "listener")) {
            MemorySegment sockaddr = Sockaddr.encode(loopback);
            ErrnoException.check(listener.withFd(fd -> Libc.bind(fd, sockaddr)), "bind", "listener");
            ErrnoException.check(listener.withFd(fd -> Libc.listen(fd, 0)), "listen", "listener");
            SocketAddress bound = NativeSocket.kernelAddressOr(listener, false, loopback);
            try (NativeSocket first = NativeSocket.connect(bound, Deadline.after(Duration.ofSeconds(5)))) {
                CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> {
                    try {
                        Thread.sleep(1); // as the abuse mix's probes do between two requests
                    } catch (InterruptedException e) {
                        return e;
                    }
                    try (NativeSocket s = NativeSocket.connect(bound, Deadline.after(Duration.ofMillis(500)))) {
                        return s.descriptor().withFd(fd -> Libc.getpeername(fd, Sockaddr.buffer()));
                    } catch (IOException e) {
                        return e;
                    }
                }, VIRTUAL);
                assertThat(second.get(60, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    @Test
    void connectToMissingUnixSocketNamesPathAndErrno() {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("missing.sock"));
        assertThatThrownBy(() -> NativeSocket.connect(address, Deadline.none()))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("connect " + address + ": ENOENT (No such file or directory)");
    }

    @Test
    void largeTransferArrivesIntact() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("big.sock"));
        byte[] data = new byte[8 << 20];
        new java.util.Random(42).nextBytes(data);
        try (NativeServerSocket server = NativeServerSocket.bind(address)) {
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> echoOnce(server), VIRTUAL);
            try (NativeSocket client = NativeSocket.connect(address, Deadline.none())) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        client.write(data, 0, data.length, Deadline.none());
                        client.shutdownOutput();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, VIRTUAL);
                byte[] back = readAll(client);
                writer.get(10, TimeUnit.SECONDS);
                assertThat(Arrays.equals(back, data)).isTrue();
            }
            echoed.get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] echoOnce(NativeServerSocket server) {
        try (NativeSocket s = server.accept(Deadline.after(Duration.ofSeconds(5)))) {
            byte[] all = readAll(s);
            s.write(all, 0, all.length, Deadline.none());
            s.shutdownOutput();
            return all;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static byte[] readAll(NativeSocket s) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = s.read(buf, 0, buf.length, Deadline.after(Duration.ofSeconds(10)))) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void unixPathTooLongIsRejectedWithItsLength() {
        Path longPath = dir.resolve("x".repeat(120));
        assertThatThrownBy(() -> NativeServerSocket.bind(UnixDomainSocketAddress.of(longPath)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 107 bytes");
        assertThat(Files.exists(longPath)).isFalse();
    }
}
