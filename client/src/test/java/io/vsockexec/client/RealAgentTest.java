package io.vsockexec.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mode end to end against the real agent, over an emulated Firecracker hybrid socket. */
class RealAgentTest {
    @TempDir
    Path dir;
    RealAgent agent;
    VsockExecClient vm;

    @BeforeEach
    void startAgent() throws IOException {
        agent = RealAgent.start(dir);
        vm = agent.client();
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    @Test
    void execReturnsExitCodeAndBothOutputs() throws Exception {
        ExecResult r = vm.exec(Command.shell("echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
    }

    @Test
    void argvRunsWithoutAShellAndEnvWorkdirApply() throws Exception {
        ExecResult r = vm.exec(Command.argv("sh", "-c", "echo \"$GREETING\" $1; pwd", "name", "$HOME")
                .withEnv("GREETING", "hello world").withWorkingDir("/tmp"));
        assertThat(r.stdoutText()).isEqualTo("hello world $HOME\n/tmp\n");
    }

    @Test
    void streamDeliversOutputLiveInOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecStatus s = vm.stream(Command.shell("for i in 1 2 3; do echo $i; echo e$i >&2; done"), out, err);
        assertThat(s.exitCode()).isZero();
        assertThat(out.toString(UTF_8)).isEqualTo("1\n2\n3\n");
        assertThat(err.toString(UTF_8)).isEqualTo("e1\ne2\ne3\n");
    }

    @Test
    void pipeCarriesInputToTheEndOfItsStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecStatus s = vm.pipe(Command.shell("wc -c"), new ByteArrayInputStream(new byte[100_000]), out, null);
        assertThat(s.exitCode()).isZero();
        assertThat(out.toString(UTF_8).strip()).isEqualTo("100000");
    }

    @Test
    void pipeHandleDeliversASignalToTheCommand() throws Exception {
        LineSink out = new LineSink();
        try (PipeExecution p = vm.startPipe(Command.shell("trap 'echo got TERM; exit 5' TERM; echo ready; sleep 30 & wait"),
                null, out, null)) {
            assertThat(out.nextLine()).isEqualTo("ready");
            p.signal(15);
            assertThat(p.waitFor().exitCode()).isEqualTo(5);
        }
        assertThat(out.nextLine()).isEqualTo("got TERM");
    }

    @Test
    void ttyRunsOnARemoteTerminalThatFollowsResize() throws Exception {
        try (TtySession tty = vm.openTty(Command.shell(
                "tty; stty size; trap 'stty size; kill $!; exit 0' WINCH; echo ready; sleep 30 & wait"), 24, 80)) {
            StringBuilder seen = readUntil(tty, "ready");
            tty.resize(50, 132);
            seen.append(new String(tty.output().readAllBytes(), UTF_8));
            assertThat(RealAgent.lines(seen.toString())).contains("24 80", "ready", "50 132")
                    .anyMatch(line -> line.startsWith("/dev/pts/"));
            assertThat(tty.waitFor().exitCode()).isZero();
        }
    }

    @Test
    void ttyKeystrokesReachTheLineDiscipline() throws Exception {
        // exec: dash can lose a ^C that lands while it forks its last command.
        try (TtySession tty = vm.openTty(Command.shell("echo ready; exec sleep 30"), 24, 80)) {
            readUntil(tty, "ready");
            tty.write(new byte[] {3}); // Ctrl-C
            assertThat(tty.waitFor().exitCode()).isEqualTo(130);
        }
    }

    @Test
    void timeoutStopsTheRemoteProcess() throws Exception {
        LineSink out = new LineSink();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                vm.stream(Command.shell("echo $$; exec sleep 100").withTimeout(Duration.ofSeconds(3)), out, null);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long pid = Long.parseLong(out.nextLine());
        assertThat(caller.join(FakeAgent.PATIENCE)).isTrue();
        assertThat(thrown.get()).isInstanceOf(ExecTimeoutException.class);
        assertThat(RealAgent.awaitGone(pid)).as("remote sleep %d killed", pid).isTrue();
    }

    @Test
    void interruptStopsTheRemoteProcess() throws Exception {
        LineSink out = new LineSink();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                vm.pipe(Command.shell("echo $$; exec sleep 100"), null, out, null);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long pid = Long.parseLong(out.nextLine());
        caller.interrupt();
        assertThat(caller.join(FakeAgent.PATIENCE)).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(RealAgent.awaitGone(pid)).as("remote sleep %d killed", pid).isTrue();
    }

    @Test
    void requestTheAgentRejectsIsARemoteError() {
        assertThatThrownBy(() -> vm.exec(Command.shell("pwd").withWorkingDir("relative/dir")))
                .isInstanceOf(RemoteExecException.class)
                .hasMessageStartingWith("agent at " + agent.execEndpoint() + " reported an error: ")
                .hasMessageContaining("relative/dir");
    }

    @Test
    void readinessSeesTheAgentsReadyPort() throws Exception {
        Readiness.await(agent.readyEndpoint(), Deadline.after(FakeAgent.PATIENCE));
        assertThat(Readiness.isReady(agent.readyEndpoint(), Deadline.after(FakeAgent.PATIENCE))).isTrue();
    }

    private static StringBuilder readUntil(TtySession tty, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!seen.toString().contains(text)) {
            int n = tty.output().read(buf);
            if (n < 0) {
                throw new AssertionError("terminal ended before \"" + text + "\": " + seen);
            }
            seen.append(new String(buf, 0, n, UTF_8));
        }
        return seen;
    }

    /** An output stream that hands complete lines to the test as they arrive. */
    static final class LineSink extends OutputStream {
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(partial.toString());
                partial.setLength(0);
            } else {
                partial.append((char) b);
            }
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(FakeAgent.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("a line of output").isNotNull();
            return line;
        }
    }
}
