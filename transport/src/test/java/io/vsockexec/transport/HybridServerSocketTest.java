package io.vsockexec.transport;

import static io.vsockexec.transport.TestIo.bytes;
import static io.vsockexec.transport.TestIo.patience;
import static io.vsockexec.transport.TestIo.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.nativeio.NativeSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VM's side of a hybrid socket, as a monitor written on this library serves it: the dialer reaches it unchanged. */
class HybridServerSocketTest {
    @TempDir
    Path dir;

    @Test
    void theHybridDialerConnectsThroughTheHandshakeAndCarriesBytes() throws Exception {
        Path path = dir.resolve("vm.sock");
        try (HybridServerSocket server = HybridServerSocket.listen(path)) {
            TestIo.Background<OptionalLong> vm = TestIo.start(() -> {
                NativeSocket client = server.accept(patience());
                OptionalLong port = HybridServerSocket.readConnect(client, patience());
                HybridServerSocket.acknowledge(client, 1L << 30, patience());
                byte[] hello = bytes("hello");
                client.write(hello, 0, hello.length, patience());
                client.close();
                return port;
            });
            try (Connection c = Transports.dial(new HybridEndpoint(path, 5000), patience())) {
                assertThat(readExactly(c.input(), 5)).isEqualTo("hello");
            }
            assertThat(vm.result()).hasValue(5000);
        }
        assertThat(Files.exists(path)).as("the socket file is removed on close").isFalse();
    }

    @Test
    void aMalformedRequestLineIsReportedAsNone() throws Exception {
        Path path = dir.resolve("vm.sock");
        try (HybridServerSocket server = HybridServerSocket.listen(path);
                NativeSocket client = NativeSocket.connect(java.net.UnixDomainSocketAddress.of(path), patience());
                NativeSocket accepted = server.accept(patience())) {
            byte[] line = bytes("CONNECT five\n");
            client.write(line, 0, line.length, patience());
            assertThat(HybridServerSocket.readConnect(accepted, patience())).isEmpty();
        }
    }

    @Test
    void aRelativePathIsRefused() {
        assertThatThrownBy(() -> HybridServerSocket.listen(Path.of("vm.sock")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }
}
