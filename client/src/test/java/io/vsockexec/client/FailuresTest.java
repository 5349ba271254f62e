package io.vsockexec.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.InvalidEndpointException;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each failure surfaces as its own type, names the endpoint, and cancels the remote command. */
class FailuresTest {
    @TempDir
    Path dir;

    private Endpoint socket() {
        return Endpoint.parse("unix://" + dir.resolve("agent.sock"));
    }

    /** A script that answers nothing and records when the host closes the connection. */
    private static FakeAgent.Script silentUntilClosed(CountDownLatch hostClosed) {
        return peer -> {
            peer.framesUntilHostCloses();
            hostClosed.countDown();
        };
    }

    @Test
    void missingSocketFileIsConnectFailedNamingTheEndpointAndErrno() {
        Endpoint missing = socket();
        assertThatThrownBy(() -> VsockExecClient.of(missing).exec("true"))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessage("cannot connect to " + missing + ": ENOENT (No such file or directory)");
    }

    @Test
    void hybridPortWithNoListenerIsHandshakeRefused() throws Exception {
        Path vm = dir.resolve("vm.sock");
        try (Listener onlyPort5000 = Transports.listen(Endpoint.parse("hybrid://" + vm + ":5000"))) {
            Endpoint wrongPort = Endpoint.parse("hybrid://" + vm + ":5001");
            assertThatThrownBy(() -> VsockExecClient.of(wrongPort).exec("true"))
                    .isInstanceOf(HandshakeRefusedException.class)
                    .hasMessageStartingWith("cannot connect to " + wrongPort + ": ")
                    .hasMessageContaining("5001");
        }
    }

    @Test
    void malformedEndpointFailsAtOnce() {
        assertThatThrownBy(() -> VsockExecClient.connect("vsock://3"))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining("vsock://3");
        assertThatThrownBy(() -> VsockExecClient.connect("vsock://any:5000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only for listening");
    }

    @Test
    void timeoutClosesTheConnectionSoTheAgentCancels() throws Exception {
        CountDownLatch hostClosed = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), silentUntilClosed(hostClosed))) {
            Command slow = Command.shell("sleep 100").withTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> agent.client().exec(slow))
                    .isInstanceOfSatisfying(ExecTimeoutException.class,
                            e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(200)))
                    .hasMessage("command on " + agent.endpoint() + " timed out after 200ms");
            assertThat(hostClosed.await(20, TimeUnit.SECONDS)).as("agent saw the host close").isTrue();
        }
    }

    @Test
    void timeoutAlsoEndsATtySessionWhoseOutputIsNotRead() throws Exception {
        CountDownLatch hostClosed = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            byte[] screenful = new byte[32 * 1024];
            try {
                while (true) {
                    peer.out.write(new Frame(MessageType.STDOUT, screenful));
                }
            } catch (IOException hostGone) {
                hostClosed.countDown();
            }
        })) {
            Command yes = Command.argv("yes").withTimeout(Duration.ofMillis(300));
            try (TtySession tty = agent.client().openTty(yes, 24, 80)) {
                assertThatThrownBy(tty::waitFor).isInstanceOf(ExecTimeoutException.class);
            }
            assertThat(hostClosed.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void interruptClosesTheConnectionAndKeepsTheInterruptStatus() throws Exception {
        CountDownLatch hostClosed = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), silentUntilClosed(hostClosed))) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    agent.client().stream(Command.shell("sleep 100"), null, null);
                } catch (Throwable t) {
                    thrown.set(t);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            agent.requests.take(); // the request arrived: the caller is now waiting for output
            caller.interrupt();
            assertThat(caller.join(FakeAgent.PATIENCE)).isTrue();
            assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class)
                    .hasMessageContaining(agent.endpoint().toString());
            assertThat(stillInterrupted.get()).isTrue();
            assertThat(hostClosed.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closingAPipeHandleCancelsAndWaitForSaysSo() throws Exception {
        CountDownLatch hostClosed = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), silentUntilClosed(hostClosed))) {
            PipeExecution p = agent.client().startPipe(Command.shell("sleep 100"), null, null, null);
            p.close();
            assertThatThrownBy(p::waitFor).isInstanceOf(ExecCancelledException.class)
                    .hasMessage("command on " + agent.endpoint() + " was cancelled");
            assertThat(hostClosed.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void failingLocalInputStopsTheCommandInsteadOfEndingItsInput() throws Exception {
        LinkedBlockingQueue<List<Frame>> seen = new LinkedBlockingQueue<>();
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> seen.add(peer.framesUntilHostCloses()))) {
            InputStream broken = new InputStream() {
                private boolean first = true;

                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (first) {
                        first = false;
                        b[off] = 'x';
                        return 1;
                    }
                    throw new IOException("disk on fire");
                }
            };
            assertThatThrownBy(() -> agent.client().pipe(Command.argv("cat"), broken, null, null))
                    .isExactlyInstanceOf(VsockExecException.class)
                    .hasMessageContaining("reading the command's standard input failed: disk on fire");
            // The agent got the byte read before the failure but never an end of input.
            assertThat(seen.poll(20, TimeUnit.SECONDS)).containsExactly(new Frame(MessageType.STDIN, "x".getBytes(UTF_8)));
        }
    }

    @Test
    void outputStreamThrowingUncheckedEndsThePipeWithAVsockExecException() throws Exception {
        CountDownLatch hostClosed = new CountDownLatch(1);
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            peer.send(MessageType.STDOUT, "x");
            peer.framesUntilHostCloses();
            hostClosed.countDown();
        })) {
            OutputStream broken = new OutputStream() {
                @Override
                public void write(int b) {
                    throw new IllegalStateException("sink gone");
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    throw new IllegalStateException("sink gone");
                }
            };
            try (PipeExecution p = agent.client().startPipe(Command.shell("x"), null, broken, null)) {
                assertThatThrownBy(p::waitFor).isExactlyInstanceOf(VsockExecException.class)
                        .hasMessage("relaying the command's output failed: sink gone")
                        .hasCauseInstanceOf(IllegalStateException.class);
            }
            assertThat(hostClosed.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void agentClosingBeforeTheResultIsConnectionLost() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.send(MessageType.STDOUT, "partial"))) {
            assertThatThrownBy(() -> agent.client().stream(Command.shell("x"), null, null))
                    .isInstanceOf(ConnectionLostException.class)
                    .hasMessage("agent at " + agent.endpoint() + " closed the connection before the command finished");
        }
    }

    @Test
    void streamEndingInsideAFrameIsConnectionLost() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(),
                peer -> peer.connection.output().write(new byte[] {3, 0, 0, 0, 10, 'a'}))) {
            assertThatThrownBy(() -> agent.client().exec("x"))
                    .isInstanceOf(ConnectionLostException.class)
                    .hasMessageContaining("ended in the middle of a frame");
        }
    }

    @Test
    void oversizedFrameIsAProtocolErrorCheckedBeforeAllocating() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            peer.connection.output().write(new byte[] {2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            peer.framesUntilHostCloses();
        })) {
            assertThatThrownBy(() -> agent.client().exec("x"))
                    .isInstanceOf(ExecProtocolException.class)
                    .hasMessage("protocol error from " + agent.endpoint()
                            + ": frame payload of 4294967295 bytes exceeds the limit of 16777216 bytes");
            agent.awaitServed(1);
        }
    }

    @Test
    void unknownTypeIsAProtocolError() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.connection.output().write(new byte[] {99, 0, 0, 0, 0}))) {
            assertThatThrownBy(() -> agent.client().exec("x"))
                    .isInstanceOf(ExecProtocolException.class)
                    .hasMessageContaining("unknown message type 99");
        }
    }

    @Test
    void frameOfTheWrongModeIsAProtocolError() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.send(MessageType.STDOUT, "not in Exec mode"))) {
            assertThatThrownBy(() -> agent.client().exec("x"))
                    .isInstanceOf(ExecProtocolException.class)
                    .hasMessage("protocol error from " + agent.endpoint() + ": unexpected STDOUT frame in Exec mode");
        }
    }

    @Test
    void corruptResultIsAProtocolError() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.send(MessageType.EXEC_RESULT, "{\"exit_code\":\"zero\"}"))) {
            assertThatThrownBy(() -> agent.client().exec("x"))
                    .isInstanceOf(ExecProtocolException.class)
                    .hasMessageContaining("exit_code");
        }
    }

    @Test
    void collectedOutputBeyondTheLimitFailsRatherThanBeingDropped() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            peer.send(MessageType.STDOUT, "0123456789");
            peer.send(MessageType.STDOUT, "0123456789");
            peer.framesUntilHostCloses();
        })) {
            VsockExecClient small = agent.client().withOptions(ClientOptions.defaults().withMaxFrame(16));
            assertThatThrownBy(() -> small.run(Command.shell("x"), null, null, OutputStream.nullOutputStream()))
                    .isExactlyInstanceOf(VsockExecException.class)
                    .hasMessageContaining("standard output exceeded 16 bytes");
            agent.awaitServed(1);
        }
    }

    @Test
    void aRegularFileIsNotAnAgent() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-socket"), "x");
        assertThatThrownBy(() -> VsockExecClient.connect("unix://" + file).exec("true"))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageStartingWith("cannot connect to unix://" + file + ": ");
    }
}
