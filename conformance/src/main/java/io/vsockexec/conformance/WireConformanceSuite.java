package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.nativeio.Signals;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The half of the agent's contract that the host SDK hides, proven frame by frame on a transport
 * {@link Connection} ({@link FrameClient}): which frames each mode sends and in what order, what
 * an empty {@code Stdin} means, the defaults of a terminal, how a failure to start and a
 * malformed request are answered in each mode, how cancellation treats processes that resist
 * it, the readiness endpoint. {@link ConformanceSuite} extends it with the other half, what a
 * user of the SDK sees, so every endpoint that suite runs against runs this one too; a behaviour
 * is proven in one of the two.
 *
 * <p>Tests look at the agent's processes and files through {@link #machine()}; the agent runs with its
 * default frame limit; the tests hold under the agent's default timeouts, and are quicker with a
 * short {@code --grace} and {@code --request-timeout}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class WireConformanceSuite {
    /** The endpoint of the agent under test. */
    protected abstract Endpoint execEndpoint();

    /** The agent's readiness endpoint. */
    protected abstract Endpoint readyEndpoint();

    /**
     * The machine the agent runs on, where tests look at processes and put files: by default this
     * one; a suite whose agent runs in a VM asks the agent ({@link AgentMachine#through}).
     */
    protected AgentMachine machine() {
        return AgentMachine.local();
    }

    // ---------------------------------------------------------------- the frames of each mode

    @Test
    void execAnswersWithOneResultHoldingBothStreamsAndTheExitCodeThenCloses() throws Exception {
        FrameClient.Transcript t = FrameClient.run(execEndpoint(),
                new Message.Exec(ExecRequest.of("echo out; echo err >&2; exit 3")));

        assertThat(t.result).isEqualTo(new ExecResponse(3, Bytes.utf8("out\n"), Bytes.utf8("err\n"), null));
        assertThat(t.closedAfterFinalFrame).isTrue();
    }

    @Test
    void streamSendsOutputFramesThenTheExitCodeAlone() throws Exception {
        FrameClient.Transcript t = FrameClient.stream(execEndpoint(), ExecRequest.of("echo out; echo err >&2; exit 3"));

        assertThat(t.stdout()).isEqualTo("out\n");
        assertThat(t.stderr()).isEqualTo("err\n");
        assertThat(t.result).isEqualTo(ExecResponse.exited(3));
        assertThat(t.closedAfterFinalFrame).isTrue();
    }

    @Test
    void pipeDeliversStdinAndItsEndThenExit() throws Exception {
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            c.send(new Message.ExecPipe(ExecRequest.of("wc -c")));
            c.stdin("hello");
            c.stdin(" world");
            c.endInput();
            FrameClient.Transcript t = c.transcript();

            assertThat(t.stdout().strip()).isEqualTo("11");
            assertThat(t.exit).isZero();
            assertThat(c.atEnd()).isTrue();
        }
    }

    @Test
    void execFeedsTheRequestsStdinBytes() throws Exception {
        ExecResponse r = FrameClient.exec(execEndpoint(), new ExecRequest("wc -c", null, null, null, Bytes.utf8("12345"), null));

        assertThat(r.stdout().utf8Text().strip()).isEqualTo("5");
    }

    @Test
    void stdinIsEmptyWithoutStdinBytes() throws Exception {
        ExecResponse r = FrameClient.exec(execEndpoint(), ExecRequest.of("wc -c"));

        assertThat(r.stdout().utf8Text().strip()).isEqualTo("0");
    }

    @Test
    void everyByteWrittenBeforeExitArrivesBeforeTheExit() throws Exception {
        for (int i = 0; i < 20; i++) {
            FrameClient.Transcript t = FrameClient.run(execEndpoint(),
                    new Message.ExecPipe(ExecRequest.of("head -c 100000 /dev/zero; echo; echo last >&2")));
            assertThat(t.stdout.size()).isEqualTo(100001);
            assertThat(t.stderr()).isEqualTo("last\n");
            assertThat(t.exit).isZero();
        }
    }

    @Test
    void aBackgroundChildHoldingTheOutputOpenDelaysTheResultOnlyUntilTheDrainTimeout() throws Exception {
        // The background sleep keeps stdout open after the shell exits. The agent relays what
        // comes until its drain timeout, then reports: the sleep is still running when the
        // result arrives (an agent that waited for end of file would report after a minute).
        FrameClient.Transcript t = FrameClient.stream(execEndpoint(), ExecRequest.of("sleep 60 & echo $!"));
        long child = Long.parseLong(t.stdout().strip());
        try {
            assertThat(t.result).isEqualTo(ExecResponse.exited(0));
            assertThat(machine().isAlive(child)).as("background child %d still running", child).isTrue();
        } finally {
            machine().terminate(child);
        }
    }

    // ---------------------------------------------------------------- terminals

    @Test
    void ttyGetsTheDefaultSizeAndTermWhenTheRequestSetsNone() throws Exception {
        FrameClient.Transcript t = FrameClient.run(execEndpoint(), FrameClient.tty("stty size; echo $TERM; tty", 0, 0));

        assertThat(t.stdout()).startsWith("24 80\r\nxterm-256color\r\n/dev/pts/");
        assertThat(t.exit).isZero();
    }

    @Test
    void ttyRunsTheCommandAsSessionLeaderOfItsTerminal() throws Exception {
        // $$ is the shell; ps-free: /proc/self/stat of the shell names its session and terminal group.
        FrameClient.Transcript t = FrameClient.run(execEndpoint(), FrameClient.tty(
                "read -r a b c d e f g h rest < /proc/$$/stat; echo \"$$ $f $h\"", 0, 0));

        String[] ids = t.stdout().strip().split(" ");
        assertThat(ids[1]).as("session id").isEqualTo(ids[0]);
        assertThat(ids[2]).as("terminal's foreground group").isEqualTo(ids[0]);
    }

    @Test
    void emptyStdinInTtyModeTypesEndOfFile() throws Exception {
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            c.send(FrameClient.tty("cat; echo cat-done", 0, 0));
            c.stdin("hello\r");
            c.endInput();
            FrameClient.Transcript t = c.transcript();

            assertThat(t.stdout()).contains("hello\r\nhello\r\n").endsWith("cat-done\r\n");
            assertThat(t.exit).isZero();
        }
    }

    @Test
    void signalFrameInTtyModeReachesTheForegroundJob() throws Exception {
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            // The shell starts a job of its own (set -m), which takes the terminal's foreground: the
            // signal must reach that job (which traps it), not the shell's group (which would die).
            c.send(FrameClient.tty("set -m; sh -c 'trap \"echo job-got-int; exit 0\" INT; echo ready;"
                    + " while :; do sleep 0.05; done'; echo after", 0, 0));
            c.awaitStdout(new FrameClient.Transcript(), "ready");

            c.signal(Signals.SIGINT);
            FrameClient.Transcript rest = c.transcript();

            assertThat(rest.stdout()).contains("job-got-int\r\nafter\r\n");
            assertThat(rest.exit).isZero();
        }
    }

    // ---------------------------------------------------------------- failures to start

    @Test
    void missingProgramExits127WithTheReasonOnStderr() throws Exception {
        ExecResponse r = FrameClient.exec(execEndpoint(),
                new ExecRequest("no-such-program", List.of("x"), null, null, null, null));

        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr().utf8Text())
                .isEqualTo("vsockexec: exec \"no-such-program\": executable file not found in PATH\n");
        assertThat(r.error()).isEmpty();
    }

    @Test
    void programThatIsNotExecutableExits126() throws Exception {
        Path script = machine().newFile("vsockexec-wire", ".sh", "echo hi\n", false);
        try {

            FrameClient.Transcript t = FrameClient.run(execEndpoint(),
                    new Message.ExecPipe(new ExecRequest(script.toString(), List.of("x"), null, null, null, null)));

            assertThat(t.exit).isEqualTo(126);
            assertThat(t.stderr()).startsWith("vsockexec: exec \"" + script + "\": permission denied");
        } finally {
            machine().delete(script);
        }
    }

    @Test
    void missingWorkingDirectoryExits126WithTheReasonOnStderr() throws Exception {
        FrameClient.Transcript t = FrameClient.stream(execEndpoint(),
                new ExecRequest("pwd", null, "/no/such/dir", null, null, null));

        assertThat(t.result.exitCode()).isEqualTo(126);
        assertThat(t.stderr()).isEqualTo("vsockexec: chdir /no/such/dir: ENOENT (No such file or directory)\n");
    }

    @Test
    void unknownUserExits126WithTheReason() throws Exception {
        FrameClient.Transcript t = FrameClient.run(execEndpoint(),
                new Message.ExecPipe(new ExecRequest("id", null, null, null, null, "no-such-user-here")));

        assertThat(t.exit).isEqualTo(126);
        assertThat(t.stderr()).contains("unknown user \"no-such-user-here\"");
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void disconnectKillsAGrandchildThatIgnoresSigtermAfterTheGrace() throws Exception {
        long grandchild;
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            c.send(new Message.ExecStream(ExecRequest.of(
                    "sh -c 'trap \"\" TERM; echo $$; exec sleep 1000' & wait")));
            grandchild = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
        }

        Processes.awaitGone(machine(), grandchild, "grandchild " + grandchild + " ignoring SIGTERM survived");
    }

    /** Leaves its process group and session, ignores SIGTERM, and holds none of the session's pipes. */
    private static final String ESCAPEE = "setsid sh -c 'trap \"\" TERM; exec sleep 1000' </dev/null >/dev/null 2>&1 &";

    @Test
    void disconnectKillsAnEscapeeThatLeftTheGroupAndSessionAndIgnoresSigterm() throws Exception {
        long escapee;
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            // The command stays the escapee's parent: a cgroup or a walk of its descendants finds it.
            c.send(new Message.ExecPipe(ExecRequest.of(ESCAPEE + " echo $!; exec sleep 1000")));
            escapee = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
            assertThat(machine().isAlive(escapee)).isTrue();
        }

        Processes.awaitGone(machine(), escapee, "the escapee " + escapee + " survived the disconnect");
    }

    /**
     * A double fork leaves nothing to find a process by but a cgroup: this holds where the agent
     * runs sessions in cgroups (as root, where cgroup v2 can be used), and is skipped elsewhere
     * unless {@value AgentUnderTest#CGROUPS_PROPERTY} is {@code required}.
     */
    @Test
    void disconnectKillsADoubleForkedEscapeeWhereSessionsRunInCgroups() throws Exception {
        long escapee;
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            c.send(new Message.ExecPipe(ExecRequest.of("(" + ESCAPEE + " echo $!); exec sleep 1000")));
            escapee = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
            String cgroup = machine().read(Path.of("/proc", String.valueOf(escapee), "cgroup"));
            boolean contained = cgroup.contains("/vsockexec-agent-");
            if (!contained && !AgentUnderTest.cgroupsRequired()) {
                machine().terminate(escapee);
                assumeTrue(false, "the agent runs sessions without cgroups here");
            }
            assertThat(cgroup).as("the escapee's cgroup").containsPattern("/vsockexec-agent-[0-9-]+/session-[0-9]+");
        }

        Processes.awaitGone(machine(), escapee, "the double-forked escapee " + escapee + " survived the disconnect");
    }

    @Test
    void disconnectOfATtySessionKillsItsBackgroundJobs() throws Exception {
        long job;
        try (FrameClient c = FrameClient.connect(execEndpoint())) {
            // set -m: the job gets a process group of its own, as in an interactive shell.
            c.send(FrameClient.tty("set -m; sleep 1000 & echo job=$!; wait", 0, 0));
            String out = c.awaitStdout(new FrameClient.Transcript(), "\r\n");
            job = Long.parseLong(out.substring(out.indexOf("job=") + 4).strip());
        }

        Processes.awaitGone(machine(), job, "background job " + job + " still alive");
    }

    // ---------------------------------------------------------------- robustness

    @Test
    void malformedRequestsAreAnsweredInTheirModesWayAndTheAgentServesOn() throws Exception {
        // Bad JSON, as an Exec: the error is in ExecResult.
        FrameClient.Transcript badJson = FrameClient.run(execEndpoint(), null,
                frame(MessageType.EXEC.code(), bytes("{\"command\":5}")));
        assertThat(badJson.result.exitCode()).isEqualTo(1);
        assertThat(badJson.result.error()).startsWith("invalid request: ").contains("command");

        // Bad JSON, as an ExecPipe: a Stderr line and Exit 1.
        FrameClient.Transcript badPipe = FrameClient.run(execEndpoint(), null,
                frame(MessageType.EXEC_PIPE.code(), bytes("not json")));
        assertThat(badPipe.stderr()).startsWith("vsockexec: invalid request: ");
        assertThat(badPipe.exit).isEqualTo(1);

        // An unknown type: 18 is the first number neither this agent nor the Go reference knows.
        FrameClient.Transcript unknown = FrameClient.run(execEndpoint(), null, frame(18, bytes("{}")));
        assertThat(unknown.result.error()).startsWith("unknown message type 18");

        // A header claiming 4 GiB for an ExecTTY: answered at once, the payload never read.
        FrameClient.Transcript oversized = FrameClient.run(execEndpoint(), null,
                new byte[] {(byte) MessageType.EXEC_TTY.code(), -1, -1, -1, -1});
        assertThat(oversized.stderr()).contains("exceeds the frame limit of 16777216 bytes");
        assertThat(oversized.exit).isEqualTo(1);

        // Garbage: an HTTP request. 'G' is type 71.
        FrameClient.Transcript garbage = FrameClient.run(execEndpoint(), null,
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.result.error()).isNotEmpty();

        // A first frame that is no request: one a host sends later, and one only an agent sends.
        FrameClient.Transcript stdinFirst = FrameClient.run(execEndpoint(), null,
                frame(MessageType.STDIN.code(), bytes("x")));
        assertThat(stdinFirst.result.error()).contains("expected a request");
        FrameClient.Transcript stdoutFirst = FrameClient.run(execEndpoint(), null,
                frame(MessageType.STDOUT.code(), bytes("hello")));
        assertThat(stdoutFirst.result.error()).contains("expected a request");

        // A connection that sends nothing is closed after the request timeout.
        try (FrameClient silent = FrameClient.connect(execEndpoint())) {
            assertThat(silent.atEnd()).isTrue();
        }

        assertThat(FrameClient.exec(execEndpoint(), ExecRequest.of("echo still-serving")).stdout().toByteArray())
                .isEqualTo(bytes("still-serving\n"));
    }

    @Test
    void readinessEndpointAcceptsAndClosesAtOnce() throws Exception {
        try (Connection c = FrameClient.dial(readyEndpoint())) {
            assertThat(c.input().read()).isEqualTo(-1);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A raw frame: any type byte, any payload. */
    private static byte[] frame(int type, byte[] payload) {
        byte[] f = new byte[5 + payload.length];
        f[0] = (byte) type;
        f[1] = (byte) (payload.length >>> 24);
        f[2] = (byte) (payload.length >>> 16);
        f[3] = (byte) (payload.length >>> 8);
        f[4] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 5, payload.length);
        return f;
    }
}
