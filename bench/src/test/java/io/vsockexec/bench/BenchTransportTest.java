package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.transport.HybridEndpoint;
import io.vsockexec.transport.TcpEndpoint;
import io.vsockexec.transport.UnixEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTransportTest {
    @TempDir
    Path dir;

    @Test
    void parsesTheThreeNamesInAnyCase() {
        assertThat(BenchTransport.parse("unix")).isEqualTo(BenchTransport.UNIX);
        assertThat(BenchTransport.parse("HYBRID")).isEqualTo(BenchTransport.HYBRID);
        assertThat(BenchTransport.parse("Tcp")).isEqualTo(BenchTransport.TCP);
        assertThat(BenchTransport.TCP.label()).isEqualTo("tcp");
    }

    @Test
    void anUnknownTransportIsRejectedNamingIt() {
        assertThatThrownBy(() -> BenchTransport.parse("vsock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'vsock'").hasMessageContaining("unix, hybrid or tcp");
    }

    @Test
    void eachTransportGivesAnAgentTwoDistinctEndpointsOfItsKind() throws Exception {
        BenchTransport.AgentEndpoints unix = BenchTransport.UNIX.endpoints(dir, "a");
        assertThat(unix.exec()).isInstanceOf(UnixEndpoint.class);
        assertThat(unix.ready()).isInstanceOf(UnixEndpoint.class).isNotEqualTo(unix.exec());

        BenchTransport.AgentEndpoints hybrid = BenchTransport.HYBRID.endpoints(dir, "a");
        assertThat(hybrid.exec()).isInstanceOf(HybridEndpoint.class);
        assertThat(hybrid.exec().toString()).endsWith(":5000");
        assertThat(hybrid.ready().toString()).endsWith(":5002");

        BenchTransport.AgentEndpoints tcp = BenchTransport.TCP.endpoints(dir, "a");
        assertThat(tcp.exec()).isInstanceOf(TcpEndpoint.class);
        assertThat(tcp.exec().toString()).startsWith("tcp://127.0.0.1:");
        assertThat(tcp.ready()).isNotEqualTo(tcp.exec());
    }
}
