package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Endpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code vsockexec port-forward} says about a command line it cannot serve, run in this JVM
 * against an agent that is up: one line, the help pointer for a wrong command line, and the
 * status. Forwarding itself is proven in the conformance module (PortForwardCliTest and the
 * suite's CliPortForwardConformance), against the CLI in a JVM of its own.
 */
class PortForwardCommandTest {
    @TempDir
    static Path dir;
    static Agent agent;
    static String endpoint;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = Agent.start(AgentConfig.builder().listen(Endpoint.parse("unix://" + dir.resolve("agent.sock")))
                .ready(List.of()).log(Log.discard()).build());
        endpoint = agent.endpoints().getFirst().toString();
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0                     | invalid forward '0': remote port '0' is not a port: expected 1 to 65535",
        "8080:65536            | invalid forward '8080:65536': remote port '65536' is not a port: expected 1 to 65535",
        "70000:80              | invalid forward '70000:80': local port '70000' is not a port",
        "8080:a:b:c:d          | invalid forward '8080:a:b:c:d': expected [ADDR:]LOCAL_PORT:[REMOTE_HOST:]REMOTE_PORT",
        "8080:bad_host!:80     | invalid forward '8080:bad_host!:80': remote host 'bad_host!': not a host name",
        "no-such.invalid:0:80  | invalid forward: local address 'no-such.invalid' does not resolve",
    })
    void aBadMappingIsOneLineAndTheUsageStatus(String mapping, String message) {
        Captured c = new Captured();

        assertThat(c.run("port-forward", "--connect", endpoint, "0:80", mapping)).as("stderr: %s", c.err())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(c.err().lines()).hasSize(2);
        assertThat(c.err().lines().findFirst().orElseThrow()).startsWith("vsockexec: " + message);
        assertThat(c.err().lines().toList().getLast()).isEqualTo("See 'vsockexec port-forward --help'.");
        assertThat(c.out()).isEmpty();
    }

    @Test
    void aLocalPortInUseIsOneLineAndStatusOneWithNothingLeftListening() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Captured c = new Captured();

            assertThat(c.run("port-forward", "--connect", endpoint, free + ":80", taken.getLocalPort() + ":80"))
                    .isEqualTo(ExitCodes.FAILURE);
            assertThat(c.err().lines()).containsExactly("vsockexec: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": Address already in use");
            try (ServerSocket again = new ServerSocket(free, 1, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).as("the first mapping's port was let go").isEqualTo(free);
            }
        }
    }

    @Test
    void noMappingIsAWrongCommandLine() {
        Captured c = new Captured();

        assertThat(c.run("port-forward", "--connect", endpoint)).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err().lines().toList().getLast()).isEqualTo("See 'vsockexec port-forward --help'.");
    }
}
