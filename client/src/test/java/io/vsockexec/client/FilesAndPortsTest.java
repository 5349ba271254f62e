package io.vsockexec.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's file and port calls: against the real agent for what they do, against scripted agents
 * for how they read answers that only another agent gives (none at all, an ExecResult, silence).
 */
class FilesAndPortsTest {
    @TempDir
    Path dir;

    private Endpoint socket() {
        return Endpoint.parse("unix://" + dir.resolve("agent.sock"));
    }

    // ---------------------------------------------------------------- files, real agent

    @Test
    void aFileWrittenIsReadBackAndListedWithItsMode() throws Exception {
        byte[] content = new byte[300_000];
        new Random(1).nextBytes(content);
        Path target = dir.resolve("sub/dir/data.bin");
        try (RealAgent agent = RealAgent.start(dir)) {
            VsockExecClient vm = agent.client();
            vm.writeFile(target.toString(), new ByteArrayInputStream(content), content.length, 0640);

            assertThat(vm.readFile(target.toString())).isEqualTo(content);
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            assertThat(vm.readFile(target.toString(), streamed)).isEqualTo(content.length);
            assertThat(streamed.toByteArray()).isEqualTo(content);
            List<RemoteFile> entries = vm.list(target.getParent().toString());
            assertThat(entries).containsExactly(new RemoteFile("data.bin", content.length, 0100640, false));
            assertThat(entries.getFirst().permissions()).isEqualTo(0640);
            assertThat(vm.list(dir.resolve("sub").toString()).getFirst().isDirectory()).isTrue();
        }
    }

    @Test
    void aRemoteFailureCarriesTheAgentsReasonAndThePath() throws Exception {
        String missing = dir.resolve("missing").toString();
        try (RealAgent agent = RealAgent.start(dir)) {
            assertThatThrownBy(() -> agent.client().readFile(missing))
                    .isInstanceOfSatisfying(RemoteFileException.class, e -> {
                        assertThat(e.path()).isEqualTo(missing);
                        assertThat(e.remoteError()).isEqualTo("open " + missing + ": no such file or directory");
                    })
                    .hasMessage("ReadFile " + missing + " on " + agent.execEndpoint() + " failed: open " + missing
                            + ": no such file or directory");
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        VsockExecClient vm = VsockExecClient.of(socket());

        assertThatThrownBy(() -> vm.readFile("relative/path")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be absolute: \"relative/path\"");
        assertThatThrownBy(() -> vm.writeFile("/a", InputStream.nullInputStream(), 16 * 1024 * 1024 + 1, 0644))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16777217");
        assertThatThrownBy(() -> vm.writeFile("/a", new byte[0], 010000)).hasMessageContaining("permissions");
        assertThatThrownBy(() -> vm.forward(0)).hasMessageContaining("port must be 1 to 65535, got 0");
        assertThatThrownBy(() -> vm.forward("localhost", 65536)).hasMessageContaining("65536");
    }

    @Test
    void contentThatEndsEarlyFailsTheWriteAndWritesNothing() throws Exception {
        Path target = dir.resolve("short");
        try (RealAgent agent = RealAgent.start(dir)) {
            assertThatThrownBy(() -> agent.client().writeFile(target.toString(), new ByteArrayInputStream(new byte[10]),
                    100, 0644))
                    .isInstanceOf(VsockExecException.class)
                    .hasMessage("the content of WriteFile " + target + " ended after 10 of 100 bytes");
            // The agent answers the connection that broke off inside its request: then the file is still absent.
            assertThatThrownBy(() -> agent.client().readFile(target.toString())).isInstanceOf(RemoteFileException.class);
        }
        assertThat(Files.exists(target)).isFalse();
    }

    // ---------------------------------------------------------------- port forwarding, real agent

    @Test
    void aForwardCarriesBytesBothWaysAndPassesHalfCloseOn() throws Exception {
        try (ServerSocket service = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RealAgent agent = RealAgent.start(dir)) {
            Thread.ofVirtual().start(() -> upperCaseUntilEnd(service));
            try (ForwardedConnection c = agent.client().forward(service.getLocalPort())) {
                c.output().write("hello".getBytes(UTF_8));
                c.shutdownOutput();

                assertThat(new String(c.input().readAllBytes(), UTF_8)).isEqualTo("HELLO");
                assertThat(c.target()).isEqualTo("127.0.0.1:" + service.getLocalPort());
            }
        }
    }

    @Test
    void aForwardToAPortNobodyListensOnIsRefusedWithTheAgentsReason() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (RealAgent agent = RealAgent.start(dir)) {
            assertThatThrownBy(() -> agent.client().forward(closed))
                    .isInstanceOfSatisfying(ForwardRefusedException.class, e -> {
                        assertThat(e.target()).isEqualTo("127.0.0.1:" + closed);
                        assertThat(e.remoteError()).isEqualTo("connect 127.0.0.1:" + closed + " failed: connection refused");
                    });
        }
    }

    /** Echoes one connection's bytes in upper case, after the client has half-closed, then closes. */
    private static void upperCaseUntilEnd(ServerSocket service) {
        try (Socket s = service.accept()) {
            byte[] in = s.getInputStream().readAllBytes();
            s.getOutputStream().write(new String(in, UTF_8).toUpperCase().getBytes(UTF_8));
        } catch (IOException e) {
            // the test sees the missing answer
        }
    }

    // ---------------------------------------------------------------- agents that do not know the requests

    @Test
    void anAgentThatClosesWithoutAnswerDoesNotSupportTheRequest() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> { })) {
            assertThatThrownBy(() -> agent.client().list("/"))
                    .isInstanceOfSatisfying(UnsupportedRequestException.class,
                            e -> assertThat(e.request()).isEqualTo("ListFiles"))
                    .hasMessageContaining("closed the connection without answering");
            assertThatThrownBy(() -> agent.client().forward(80)).isInstanceOf(UnsupportedRequestException.class);
        }
    }

    @Test
    void anAgentThatAnswersWithAnExecResultDoesNotSupportTheRequest() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(),
                peer -> peer.result(1, null, null, "unknown message type 15"))) {
            assertThatThrownBy(() -> agent.client().readFile("/etc/hostname"))
                    .isInstanceOf(UnsupportedRequestException.class)
                    .hasMessage("agent at " + agent.endpoint() + " does not support ReadFile: it answered \"unknown"
                            + " message type 15\"");
            assertThatThrownBy(() -> agent.client().forward(80))
                    .isInstanceOf(UnsupportedRequestException.class).hasMessageContaining("PortForward");
        }
    }

    @Test
    void theReplysTypeMustBeFileResult() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.send(MessageType.STDOUT, "{}"))) {
            assertThatThrownBy(() -> agent.client().writeFile("/a", new byte[1]))
                    .isInstanceOf(ExecProtocolException.class).hasMessageContaining("unexpected STDOUT frame");
        }
    }

    // ---------------------------------------------------------------- time limits and cancellation

    @Test
    void aCallOverItsTimeLimitTimesOut() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> hold.await(20, TimeUnit.SECONDS))) {
            VsockExecClient vm = agent.client().withOptions(ClientOptions.defaults().withCallTimeout(Duration.ofMillis(300)));

            assertThatThrownBy(() -> vm.readFile("/etc/hostname")).isInstanceOf(ExecTimeoutException.class)
                    .hasMessage("ReadFile /etc/hostname on " + agent.endpoint() + " timed out after 300ms");
            hold.countDown();
        }
    }

    @Test
    void anInterruptCancelsACall() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> hold.await(20, TimeUnit.SECONDS))) {
            Thread caller = Thread.currentThread();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200); // the call must be under way; its outcome does not depend on the delay
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });

            assertThatThrownBy(() -> agent.client().list("/")).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.interrupted()).isTrue();
            hold.countDown();
        }
    }

    @Test
    void aFailingOutputStreamEndsTheReadAsTheCallersFailure() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[100_000]);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk on fire");
            }
        };
        try (RealAgent agent = RealAgent.start(dir)) {
            assertThatThrownBy(() -> agent.client().readFile(file.toString(), broken))
                    .isInstanceOf(VsockExecException.class)
                    .hasMessage("writing the content of ReadFile " + file + " failed: disk on fire");
        }
    }
}
