package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.base.Deadline;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * AF_VSOCK without connect(): these machines are VMs whose only vsock peer is their host, so
 * connecting is tested inside user-mode Linux instead (see the conformance module).
 */
class VsockTest {
    /** Each task on its own virtual thread: the common pool has one thread on two cores. */
    private static final java.util.concurrent.Executor VIRTUAL =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private static boolean vsockPresent() {
        return Files.exists(Path.of("/dev/vsock"));
    }

    @Test
    void localCidIsWhatTheKernelReports() throws IOException {
        assumeTrue(vsockPresent(), "no /dev/vsock here");
        long cid = Vsock.localCid();
        // A guest has CID 3 or more; 0, 1 and 2 are reserved, and CID_ANY is not an answer.
        assertThat(cid).isGreaterThanOrEqualTo(3L).isLessThan(0xFFFFFFFFL);
    }

    @Test
    void bindsAnyCidAndReportsTheChosenPort() throws IOException {
        assumeTrue(vsockPresent(), "no /dev/vsock here");
        try (NativeServerSocket server = NativeServerSocket.bind(VsockAddress.anyCid(VsockAddress.PORT_ANY))) {
            VsockAddress bound = (VsockAddress) server.localAddress();
            assertThat(bound.cid()).isEqualTo(VsockAddress.CID_ANY);
            assertThat(bound.port()).isNotEqualTo(VsockAddress.PORT_ANY);
            assertThat(bound.toString()).startsWith("vsock://any:");
        }
    }

    @Test
    void acceptTimesOut() throws IOException {
        assumeTrue(vsockPresent(), "no /dev/vsock here");
        try (NativeServerSocket server = NativeServerSocket.bind(VsockAddress.anyCid(VsockAddress.PORT_ANY))) {
            assertThatThrownBy(() -> server.accept(Deadline.after(Duration.ofMillis(50))))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("accept");
        }
    }

    @Test
    void closeWakesBlockedAccept() throws Exception {
        assumeTrue(vsockPresent(), "no /dev/vsock here");
        NativeServerSocket server = NativeServerSocket.bind(VsockAddress.anyCid(VsockAddress.PORT_ANY));
        CompletableFuture<NativeSocket> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept(Deadline.none());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, VIRTUAL);
        Thread.sleep(100); // let it park; the outcome is the same if it has not yet
        server.close();
        assertThatThrownBy(() -> accepting.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().cause().isInstanceOfAny(AsynchronousCloseException.class,
                        java.nio.channels.ClosedChannelException.class);
    }

    @Test
    void bindingTheSamePortTwiceNamesTheAddress() throws IOException {
        assumeTrue(vsockPresent(), "no /dev/vsock here");
        try (NativeServerSocket first = NativeServerSocket.bind(VsockAddress.anyCid(VsockAddress.PORT_ANY))) {
            VsockAddress bound = (VsockAddress) first.localAddress();
            assertThatThrownBy(() -> NativeServerSocket.bind(bound))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("bind " + bound + ": EADDRINUSE (Address already in use)");
        }
    }

    @Test
    void addressPrintsAsVsockUrl() {
        assertThat(VsockAddress.of(3, 5000)).hasToString("vsock://3:5000");
        assertThat(VsockAddress.of(0xFFFFFFFEL, 0xFFFFFFFEL)).hasToString("vsock://4294967294:4294967294");
        assertThatThrownBy(() -> VsockAddress.of(-1L, 1)).hasMessageContaining("-1");
    }
}
