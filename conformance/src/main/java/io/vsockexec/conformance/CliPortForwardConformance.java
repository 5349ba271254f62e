package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.bench.TcpService;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code vsockexec port-forward}, the command line, through the agent under test: one run of the
 * CLI with four mappings (an HTTP server, a port nobody listens on, a service that ends its side
 * first, an echo service that answers once the host has ended its side): downloads at once, a
 * refusal that leaves the forwarder serving, half-close each way, and SIGTERM ending it with
 * status 0. One CLI start, since a JVM's start is the slow part inside
 * user-mode Linux. The services run in the suite's JVM, so this runs where the agent shares this
 * machine (or this user-mode Linux kernel). Part of {@link ConformanceSuite}.
 */
interface CliPortForwardConformance {
    /** The agent's exec endpoint. */
    Endpoint agentEndpoint();

    /** The machine the agent runs on: the services a forward reaches must run there. */
    AgentMachine agentMachine();

    @Test
    default void theCommandLineForwardsDownloadsRefusesAClosedPortAndPassesHalfCloseOn() throws Exception {
        assumeTrue(agentMachine() == AgentMachine.local(), "needs TCP services beside the agent, on this machine");
        byte[] body = new byte[4 << 20];
        new Random(16).nextBytes(body);
        CompletableFuture<String> heard = new CompletableFuture<>();
        int closed = closedPort();
        try (TcpService web = TcpService.start(HttpService.of(body));
                TcpService speaksFirst = TcpService.start(s -> {
                    s.getOutputStream().write("greeting".getBytes(UTF_8));
                    s.shutdownOutput();
                    heard.complete(new String(s.getInputStream().readAllBytes(), UTF_8));
                });
                TcpService echo = TcpService.start(TcpService::echo);
                PortForwardCli cli = PortForwardCli.start(agentEndpoint().toString(), ":" + web.port(), ":" + closed,
                        ":" + speaksFirst.port(), ":" + echo.port())) {
            assertThat(cli.lines()).containsExactly(
                    "Forwarding from 127.0.0.1:" + cli.localPort(0) + " -> 127.0.0.1:" + web.port(),
                    "Forwarding from 127.0.0.1:" + cli.localPort(1) + " -> 127.0.0.1:" + closed,
                    "Forwarding from 127.0.0.1:" + cli.localPort(2) + " -> 127.0.0.1:" + speaksFirst.port(),
                    "Forwarding from 127.0.0.1:" + cli.localPort(3) + " -> 127.0.0.1:" + echo.port());

            assertThat(downloadsAtOnce(cli.localPort(0), 2)).containsOnly(HttpDownload.sha256(body));

            try (Socket refused = connect(cli.localPort(1))) {
                assertThat(refused.getInputStream().read()).as("the local connection is closed").isEqualTo(-1);
            }
            Processes.awaitTrue(() -> cli.errLines().stream().anyMatch(l -> l.endsWith(
                    "refused: connect 127.0.0.1:" + closed + " failed: connection refused")),
                    "a line saying why: " + cli.errLines());

            try (Socket s = connect(cli.localPort(2))) {
                assertThat(new String(s.getInputStream().readAllBytes(), UTF_8)).isEqualTo("greeting");
                s.getOutputStream().write("answer after end of stream".getBytes(UTF_8));
                s.shutdownOutput();
                assertThat(heard.get(PortForwardCli.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                        .isEqualTo("answer after end of stream");
            }

            try (Socket s = connect(cli.localPort(3))) {
                s.getOutputStream().write("ping".getBytes(UTF_8));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), UTF_8))
                        .as("the service saw the end of the host's side and answered").isEqualTo("ping");
            }

            assertThat(HttpDownload.sha256(cli.localPort(0), PortForwardCli.PATIENCE))
                    .as("still serving after a refusal").isEqualTo(HttpDownload.sha256(body));
            assertThat(cli.stop()).isZero();
            assertThat(cli.errLines()).hasSize(1);
        }
    }

    /** The SHA-256 of {@code count} downloads from {@code port} made at the same time. */
    static List<String> downloadsAtOnce(int port, int count) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> downloads = java.util.stream.IntStream.range(0, count)
                    .mapToObj(i -> threads.submit(() -> HttpDownload.sha256(port, PortForwardCli.PATIENCE)))
                    .toList();
            List<String> digests = new java.util.ArrayList<>();
            for (Future<String> d : downloads) {
                digests.add(d.get(PortForwardCli.PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
            return digests;
        }
    }

    /** A connection to a port on this machine's loopback address whose reads give up after the patience. */
    static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) PortForwardCli.PATIENCE.toMillis());
        return s;
    }

    /** A port on the loopback address that nothing listens on (it was free a moment ago). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
