package io.vsockexec.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecTtyRequest;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.WindowSize;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mode against a scripted agent: what the client sends, and how it reads each answer. */
class FakeAgentModesTest {
    @TempDir
    Path dir;

    private Endpoint socket() {
        return Endpoint.parse("unix://" + dir.resolve("agent.sock"));
    }

    @Test
    void execSendsTheRequestAndReturnsTheBufferedResult() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.result(3, "out\n", "err\n", null))) {
            Command command = Command.argv("ls", "-l", "/").withEnv("A", "1").withWorkingDir("/tmp").withUser("nobody");
            ExecResult result = agent.client().exec(command);

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdoutText()).isEqualTo("out\n");
            assertThat(result.stderrText()).isEqualTo("err\n");
            assertThat(result.success()).isFalse();
            assertThat(result.duration()).isPositive();
            Frame request = agent.requests.take();
            assertThat(request.type()).isEqualTo(MessageType.EXEC);
            ExecRequest sent = ((Message.Exec) Messages.decode(request)).request();
            assertThat(sent.command()).isEqualTo("ls -l /");
            assertThat(sent.argv()).containsExactly("ls", "-l", "/");
            assertThat(sent.args()).isEmpty();
            assertThat(sent.env()).isEqualTo(Map.of("A", "1"));
            assertThat(sent.workingDir()).isEqualTo("/tmp");
            assertThat(sent.user()).isEqualTo("nobody");
            agent.awaitServed(1);
        }
    }

    @Test
    void shellCommandGoesAsTheCommandLineWithNoArgs() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.result(0, null, null, null))) {
            agent.client().exec("echo hi | wc -c");
            ExecRequest sent = ((Message.Exec) Messages.decode(agent.requests.take())).request();
            assertThat(sent.command()).isEqualTo("echo hi | wc -c");
            assertThat(sent.args()).isEmpty();
            assertThat(sent.argv()).isEmpty();
        }
    }

    @Test
    void readsTheGoAgentsNullFieldsAsEmptyOutput() throws Exception {
        String goReply = "{\"exit_code\":0,\"stdout\":null,\"stderr\":null,\"error\":\"\"}";
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.send(MessageType.EXEC_RESULT, goReply))) {
            ExecResult result = agent.client().exec("true");
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderr()).isEmpty();
        }
    }

    @Test
    void readsTheGoAgentsExitOfAllOnesAsMinusOne() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            peer.out.write(new Frame(MessageType.EXIT, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        })) {
            ExecStatus status = agent.client().pipe(Command.shell("kill -9 $$"), null, null, null);
            assertThat(status.exitCode()).isEqualTo(-1);
        }
    }

    @Test
    void remoteErrorIsARemoteExecExceptionQuotingTheAgent() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(),
                peer -> peer.result(1, null, null, "chdir /nope: no such file or directory"))) {
            assertThatThrownBy(() -> agent.client().exec(Command.shell("pwd").withWorkingDir("/nope")))
                    .isInstanceOfSatisfying(RemoteExecException.class, e -> {
                        assertThat(e.remoteError()).isEqualTo("chdir /nope: no such file or directory");
                        assertThat(e.exitCode()).isEqualTo(1);
                    })
                    .hasMessage("agent at " + agent.endpoint() + " reported an error: chdir /nope: no such file or directory");
        }
    }

    @Test
    void streamDeliversEachChunkToItsStreamAsItArrives() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            peer.send(MessageType.STDOUT, "one ");
            peer.send(MessageType.STDERR, "warning\n");
            peer.send(MessageType.STDOUT, "two\n");
            peer.result(0, null, null, null);
        })) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ExecStatus status = agent.client().stream(Command.shell("work"), out, err);

            assertThat(status.success()).isTrue();
            assertThat(out.toString(UTF_8)).isEqualTo("one two\n");
            assertThat(err.toString(UTF_8)).isEqualTo("warning\n");
            assertThat(agent.requests.take().type()).isEqualTo(MessageType.EXEC_STREAM);
        }
    }

    @Test
    void pipeSendsTheInputThenTheEmptyStdinAndReturnsTheExitCode() throws Exception {
        List<Frame> received = new ArrayList<>();
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            // Echo input back until the empty Stdin, as cat would.
            for (Frame f = peer.next(); f != null; f = peer.next()) {
                received.add(f);
                if (f.payload().length == 0) {
                    break;
                }
                peer.out.write(new Frame(MessageType.STDOUT, f.payload()));
            }
            peer.exit(0);
        })) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecStatus status = agent.client().pipe(Command.argv("cat"),
                    new ByteArrayInputStream("hello pipe".getBytes(UTF_8)), out, null);

            assertThat(status.exitCode()).isZero();
            assertThat(out.toString(UTF_8)).isEqualTo("hello pipe");
            agent.awaitServed(1);
            assertThat(received.getLast()).isEqualTo(Frame.empty(MessageType.STDIN));
            assertThat(received).allMatch(f -> f.type() == MessageType.STDIN);
        }
    }

    @Test
    void agentThatExitsAndClosesWhileInputIsStillFlowingStillGivesTheExitCode() throws Exception {
        // The Go agent closes 100 ms after Exit whatever the host is sending; the input pump's
        // writes then fail, and the Exit frame already received must still be read.
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> peer.exit(4))) {
            for (int i = 0; i < 3; i++) {
                ExecStatus status = agent.client().pipe(Command.shell("head -c1"),
                        new ByteArrayInputStream(new byte[8 << 20]), null, null);
                assertThat(status.exitCode()).isEqualTo(4);
            }
        }
    }

    @Test
    void pipeHandleSendsInputAndSignalsOnDemand() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            Frame input = peer.next();
            peer.out.write(new Frame(MessageType.STDOUT, input.payload()));
            Frame signal = peer.next();
            peer.exit(128 + ((Message.Signal) Messages.decode(signal)).number());
        })) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PipeExecution p = agent.client().startPipe(Command.argv("sleep", "100"), null, out, null)) {
                p.stdin().write("ping".getBytes(UTF_8));
                p.signal(15);
                assertThat(p.waitFor().exitCode()).isEqualTo(143);
                assertThat(p.isDone()).isTrue();
                assertThatThrownBy(() -> p.signal(9)).isExactlyInstanceOf(VsockExecException.class)
                        .hasMessage("command on " + agent.endpoint() + " has already finished");
            }
            assertThat(out.toString(UTF_8)).isEqualTo("ping");
        }
    }

    @Test
    void ttySendsSizeKeystrokesResizeAndSignalAndReadsTheTerminal() throws Exception {
        List<Message> received = new ArrayList<>();
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            peer.send(MessageType.STDOUT, "$ ");
            for (int i = 0; i < 3; i++) {
                received.add(Messages.decode(peer.next()));
            }
            peer.send(MessageType.STDOUT, "bye\r\n");
            peer.exit(0);
        })) {
            try (TtySession tty = agent.client().openTty(Command.shell("bash"), 24, 80)) {
                tty.write("ls\r".getBytes(UTF_8));
                tty.resize(50, 132);
                tty.signal(2);
                assertThat(new String(tty.output().readAllBytes(), UTF_8)).isEqualTo("$ bye\r\n");
                assertThat(tty.waitFor().exitCode()).isZero();
            }
            ExecTtyRequest request = ((Message.ExecTty) Messages.decode(agent.requests.take())).request();
            assertThat(request.size()).isEqualTo(new WindowSize(24, 80));
            assertThat(received).containsExactly(new Message.Stdin("ls\r".getBytes(UTF_8)),
                    new Message.Resize(new WindowSize(50, 132)), new Message.Signal(2));
        }
    }

    @Test
    void runChoosesTheModeAsTheGoHostDoes() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            switch (peer.request.type()) {
                case EXEC -> peer.result(0, "buffered", null, null);
                case EXEC_STREAM -> {
                    peer.send(MessageType.STDOUT, "streamed");
                    peer.result(0, null, null, null);
                }
                default -> {
                    peer.framesUntilEndOfInput();
                    peer.send(MessageType.STDERR, "piped");
                    peer.exit(0);
                }
            }
        })) {
            VsockExecClient client = agent.client();
            assertThat(client.run(Command.shell("x"), null, null, null).stdoutText()).isEqualTo("buffered");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecResult streamed = client.run(Command.shell("x"), null, out, null);
            assertThat(out.toString(UTF_8)).isEqualTo("streamed");
            assertThat(streamed.stdout()).isEmpty();
            ExecResult piped = client.run(Command.shell("x"), new ByteArrayInputStream(new byte[3]), null, null);
            assertThat(piped.stderrText()).isEqualTo("piped");

            assertThat(List.of(agent.requests.take().type(), agent.requests.take().type(), agent.requests.take().type()))
                    .containsExactly(MessageType.EXEC, MessageType.EXEC_STREAM, MessageType.EXEC_PIPE);
        }
    }

    @Test
    void oneClientServesManyThreadsAtOnceEachOnItsOwnConnection() throws Exception {
        try (FakeAgent agent = FakeAgent.listen(socket(), peer -> {
            ExecRequest r = ((Message.Exec) peer.requestMessage()).request();
            peer.result(0, r.command(), null, null);
        })) {
            VsockExecClient client = agent.client();
            List<Thread> threads = new ArrayList<>();
            List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 16; i++) {
                String text = "echo " + i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        answers.add(client.exec(text).stdoutText());
                    } catch (IOException e) {
                        answers.add(e.toString());
                    }
                }));
            }
            for (Thread t : threads) {
                assertThat(t.join(FakeAgent.PATIENCE)).isTrue();
            }
            assertThat(answers).hasSize(16).allMatch(a -> a.startsWith("echo "));
            agent.awaitServed(16);
        }
    }
}
