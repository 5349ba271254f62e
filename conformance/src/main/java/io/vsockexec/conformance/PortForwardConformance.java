package io.vsockexec.conformance;

import static io.vsockexec.conformance.FrameClient.PATIENCE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.bench.TcpService;
import io.vsockexec.client.ForwardRefusedException;
import io.vsockexec.client.ForwardedConnection;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Port forwarding (PortForward, answered by Ready and then raw bytes, or by a Stderr reason) to a
 * TCP service on the agent's machine, as matchlock's host opens one ({@link GoHost}) and as the
 * SDK does: bytes both ways, half-close passed on both ways, bytes that come with the request,
 * megabytes intact, the refusals in Go's words, and a host that goes away mid-transfer. The
 * services are started in the suite's JVM, so the tests that need one are skipped for an agent
 * that does not share this machine (in a VM); the refusals run everywhere. Part of
 * {@link ConformanceSuite}.
 */
interface PortForwardConformance {
    /** The agent's exec endpoint. */
    Endpoint agentEndpoint();

    /** The machine the agent runs on: the services a forward reaches must run there. */
    AgentMachine agentMachine();

    @Test
    default void goHostOpensAForwardAndRawBytesFlowBothWays() throws Exception {
        try (TcpService echo = besideTheAgent(TcpService::echo); Connection c = dial()) {
            GoHost.openPortForward(c, "", echo.port());

            c.output().write("ping".getBytes(UTF_8));
            c.shutdownOutput();

            assertThat(new String(c.input().readAllBytes(), UTF_8)).isEqualTo("ping");
        }
    }

    @Test
    default void theForwardIsAnsweredWithAnEmptyReadyFrame() throws Exception {
        try (TcpService echo = besideTheAgent(TcpService::echo); Connection c = dial()) {
            GoHost.sendMessage(c, MessageType.PORT_FORWARD.code(), ("{\"port\":" + echo.port() + "}").getBytes(UTF_8));
            c.shutdownOutput();

            assertThat(HexFormat.of().formatHex(c.input().readAllBytes())).isEqualTo("0600000000");
        }
    }

    @Test
    default void bytesThatComeWithTheRequestReachTheService() throws Exception {
        try (TcpService echo = besideTheAgent(TcpService::echo); Connection c = dial()) {
            byte[] json = ("{\"host\":\"127.0.0.1\",\"port\":" + echo.port() + "}").getBytes(UTF_8);
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(new byte[] {13, 0, 0, 0, (byte) json.length});
            both.write(json);
            both.write("early".getBytes(UTF_8));
            c.output().write(both.toByteArray()); // the request and the first bytes in one write
            c.shutdownOutput();

            byte[] reply = c.input().readAllBytes();
            assertThat(new String(reply, 5, reply.length - 5, UTF_8)).isEqualTo("early");
        }
    }

    @Test
    default void halfCloseIsPassedOnInBothDirections() throws Exception {
        CompletableFuture<String> heard = new CompletableFuture<>();
        // The service speaks first and ends its side, then still reads what the host sends.
        try (TcpService service = besideTheAgent(s -> {
            s.getOutputStream().write("greeting".getBytes(UTF_8));
            s.shutdownOutput();
            heard.complete(new String(s.getInputStream().readAllBytes(), UTF_8));
        }); ForwardedConnection c = client().forward(service.port())) {
            assertThat(new String(c.input().readAllBytes(), UTF_8)).isEqualTo("greeting");

            c.output().write("answer after end of stream".getBytes(UTF_8));
            c.shutdownOutput();

            assertThat(heard.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("answer after end of stream");
        }
    }

    @Test
    default void megabytesGoBothWaysAtOnceIntact() throws Exception {
        byte[] up = new byte[8 << 20];
        new Random(8).nextBytes(up);
        try (TcpService echo = besideTheAgent(TcpService::echo); ForwardedConnection c = client().forward(echo.port())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = c.output();
                    for (int off = 0; off < up.length; off += 100_000) {
                        out.write(up, off, Math.min(100_000, up.length - off));
                    }
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofVirtual().start(r));

            byte[] down = c.input().readAllBytes();

            sent.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(sha256(down)).isEqualTo(sha256(up));
        }
    }

    @Test
    default void refusalsAreAStderrLineInTheGoAgentsWordsThenTheEnd() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertRejected("", 0, "invalid remote port 0");
        assertRejected("", closed, "connect 127.0.0.1:" + closed + " failed: connection refused");
        assertRejected("no-such-host.invalid", 80,
                "connect no-such-host.invalid:80 failed: lookup no-such-host.invalid: no such host");
        assertThatThrownBy(() -> client().forward(closed)).isInstanceOf(ForwardRefusedException.class)
                .hasMessageEndingWith("refused: connect 127.0.0.1:" + closed + " failed: connection refused");
    }

    @Test
    default void aPortAboveTheGoTypeIsAnInvalidRequest() throws Exception {
        try (Connection c = dial()) {
            GoHost.sendMessage(c, MessageType.PORT_FORWARD.code(), "{\"port\":65536}".getBytes(UTF_8));

            byte[] reply = c.input().readAllBytes();
            assertThat(reply[0]).isEqualTo((byte) MessageType.STDERR.code());
            assertThat(new String(reply, 5, reply.length - 5, UTF_8)).isEqualTo("invalid request: invalid"
                    + " PortForwardRequest payload: field \"port\" must be between 0 and 65535, got 65536");
        }
    }

    @Test
    default void aHostThatGoesAwayMidTransferEndsTheServicesConnection() throws Exception {
        CompletableFuture<String> serviceSaw = new CompletableFuture<>();
        try (TcpService flood = besideTheAgent(s -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                OutputStream out = s.getOutputStream();
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                serviceSaw.complete("closed");
            }
        })) {
            try (Connection c = dial()) {
                GoHost.openPortForward(c, "127.0.0.1", flood.port());
                InputStream in = c.input();
                assertThat(in.readNBytes(256 * 1024)).hasSize(256 * 1024);
            }

            assertThat(serviceSaw.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("closed");
        }
        assertThat(FrameClient.exec(agentEndpoint(), ExecRequest.of("echo still-serving")).stdout().toByteArray())
                .isEqualTo("still-serving\n".getBytes(UTF_8));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A TCP service on the agent's machine. The suite starts one in its own JVM, so a test that
     * needs one runs only where the agent shares this machine's network (not for an agent in a
     * VM, which the suite reaches only through the agent).
     */
    private TcpService besideTheAgent(TcpService.Handler handler) throws IOException {
        assumeTrue(agentMachine() == AgentMachine.local(), "needs a TCP service beside the agent, on this machine");
        return TcpService.start(handler);
    }

    private void assertRejected(String host, int port, String reason) throws IOException {
        try (Connection c = dial()) {
            assertThatThrownBy(() -> GoHost.openPortForward(c, host, port)).isInstanceOf(GoHost.GoError.class)
                    .hasMessage("port-forward rejected: " + reason);
            assertThat(c.input().read()).as("the connection ends after the reason").isEqualTo(-1);
        }
    }

    private VsockExecClient client() {
        return VsockExecClient.of(agentEndpoint());
    }

    private Connection dial() throws IOException {
        return FrameClient.dial(agentEndpoint());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
