package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Log;
import io.vsockexec.bench.TcpService;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PortForwarder} in this JVM against an agent in this JVM: connections beyond those its
 * platform threads copy are served at the same time by virtual threads, and a client that goes
 * away in the middle of a download costs the forwarder nothing.
 */
class PortForwarderTest {
    /** A chunk the service sends each connection at once, then waits for a byte before the rest. */
    private static final int FIRST = 64 * 1024;
    /** How long a client waits for bytes: a read blocked in a socket does not see the test's interrupt. */
    private static final int READ_LIMIT_MILLIS = 60_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void connectionsBeyondThePlatformThreadsAreServedAtTheSameTime() throws Exception {
        int open = PortForwarder.PLATFORM_CONNECTIONS + 4;
        try (Agent agent = startAgent(); TcpService service = TcpService.start(PortForwarderTest::firstThenRest);
                PortForwarder forwarder = forward(agent, service.port())) {
            List<Socket> clients = new ArrayList<>();
            try {
                // Every connection is held open with its download half done: each occupies its
                // copying threads while the next one needs its own.
                for (int i = 0; i < open; i++) {
                    Socket s = client(forwarder);
                    clients.add(s);
                    assertThat(s.getInputStream().readNBytes(FIRST)).as("connection %d's first chunk", i).hasSize(FIRST);
                }
                for (Socket s : clients) {
                    s.getOutputStream().write(1);
                    s.shutdownOutput();
                    assertThat(s.getInputStream().readAllBytes()).hasSize(FIRST);
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void aClientThatGoesAwayMidDownloadLeavesTheForwarderServing() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Agent agent = startAgent(); TcpService service = TcpService.start(PortForwarderTest::firstThenRest);
                PortForwarder forwarder = forward(agent, service.port(), err)) {
            for (int i = 0; i < PortForwarder.PLATFORM_CONNECTIONS * 2; i++) {
                try (Socket s = client(forwarder)) {
                    assertThat(s.getInputStream().readNBytes(1000)).hasSize(1000);
                }
            }
            try (Socket s = client(forwarder)) {
                InputStream in = s.getInputStream();
                assertThat(in.readNBytes(FIRST)).hasSize(FIRST);
                s.getOutputStream().write(1);
                s.shutdownOutput();
                assertThat(in.readAllBytes()).hasSize(FIRST);
            }
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).as("a client's own going away is not the user's news").isEmpty();
    }

    /** The service's one connection: {@value #FIRST} bytes, then after a byte from the client another {@value #FIRST}, then the end. */
    private static void firstThenRest(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(new byte[FIRST]);
        if (s.getInputStream().read() >= 0) {
            out.write(new byte[FIRST]);
        }
    }

    private Agent startAgent() throws IOException {
        return Agent.start(AgentConfig.builder().listen(Endpoint.parse("unix://" + dir.resolve("agent.sock")))
                .ready(List.of()).log(Log.discard()).build());
    }

    private static PortForwarder forward(Agent agent, int port) {
        return forward(agent, port, new ByteArrayOutputStream());
    }

    private static PortForwarder forward(Agent agent, int port, ByteArrayOutputStream err) {
        PortForwarder f = PortForwarder.bind(VsockExecClient.of(agent.endpoints().getFirst()),
                List.of(ForwardSpec.parse("0:" + port)), new PrintStream(err, true, StandardCharsets.UTF_8));
        f.start();
        return f;
    }

    private static Socket client(PortForwarder forwarder) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port(forwarder));
        s.setSoTimeout(READ_LIMIT_MILLIS);
        return s;
    }

    private static int port(PortForwarder forwarder) {
        return forwarder.listening().getFirst().port();
    }
}
