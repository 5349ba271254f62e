package io.vsockexec.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.base.Deadline;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * AF_VSOCK listening only. This machine's only vsock peer is its host, so nothing here dials a
 * vsock endpoint; connecting is tested inside user-mode Linux.
 */
class VsockTransportTest {
    private static final Endpoint ANY_PORT = VsockEndpoint.anyCid(VsockEndpoint.PORT_ANY);

    private static void assumeVsock() {
        assumeTrue(Files.exists(Path.of("/dev/vsock")), "no /dev/vsock here");
    }

    @Test
    void listensOnAnyCidAndReportsTheChosenPort() throws Exception {
        assumeVsock();
        try (Listener listener = Transports.listen(Endpoint.parse("vsock://any:4294967295"))) {
            VsockEndpoint bound = (VsockEndpoint) listener.endpoint();
            assertThat(bound.cid()).isEqualTo(VsockEndpoint.CID_ANY);
            assertThat(bound.port()).isNotEqualTo(VsockEndpoint.PORT_ANY);
            assertThat(bound.toString()).startsWith("vsock://any:");
        }
    }

    @Test
    void acceptTimesOutNamingTheEndpoint() throws Exception {
        assumeVsock();
        try (Listener listener = Transports.listen(ANY_PORT)) {
            assertThatThrownBy(() -> listener.accept(Deadline.after(Duration.ofMillis(50))))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("accept " + listener.endpoint() + ": timed out after 50ms");
        }
    }

    @Test
    void closeWakesABlockedAccept() throws Exception {
        assumeVsock();
        Listener listener = Transports.listen(ANY_PORT);
        var acceptor = TestIo.start(() -> listener.accept(Deadline.none())).awaitParked();
        listener.close();
        assertThat(acceptor.failure()).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void dialingAnyCidIsRefusedBeforeAnySocketIsMade() {
        // Safe on this machine: the check comes before socket(2), so nothing is connected.
        assertThatThrownBy(() -> Transports.dial(Endpoint.parse("vsock://any:5000"), Deadline.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot dial vsock://any:5000: CID any means every CID of this machine and is only for"
                        + " listening");
    }
}
