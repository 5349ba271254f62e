package io.vsockexec.cli;

import static io.vsockexec.cli.FrameClient.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.nativeio.Deadline;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.ExecTtyRequest;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Payloads;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mode against one real agent process, over a Unix socket and an emulated hybrid VM socket,
 * driven by a raw frame-level host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentEndToEndTest {
    @TempDir
    static Path dir;

    AgentProcess agent;

    @BeforeAll
    void startAgent() throws IOException {
        agent = AgentProcess.start(dir, "--grace", "2s", "--drain-timeout", "500ms", "--request-timeout", "2s");
    }

    @AfterAll
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    Stream<Endpoint> endpoints() {
        return Stream.of(agent.unix, agent.hybrid);
    }

    // ---------------------------------------------------------------- modes and exit codes

    @ParameterizedTest
    @MethodSource("endpoints")
    void execBuffersBothStreamsAndReportsTheExitCode(Endpoint endpoint) throws Exception {
        FrameClient.Transcript t = FrameClient.run(endpoint, new Message.Exec(ExecRequest.of("echo out; echo err >&2; exit 3")));

        assertThat(t.result).isEqualTo(new ExecResponse(3, bytes("out\n"), bytes("err\n"), null));
        assertThat(t.closedAfterFinalFrame).isTrue();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void streamSendsOutputFramesThenTheExitCodeAlone(Endpoint endpoint) throws Exception {
        FrameClient.Transcript t = FrameClient.stream(endpoint, ExecRequest.of("echo out; echo err >&2; exit 3"));

        assertThat(t.stdout()).isEqualTo("out\n");
        assertThat(t.stderr()).isEqualTo("err\n");
        assertThat(t.result).isEqualTo(ExecResponse.exited(3));
        assertThat(t.closedAfterFinalFrame).isTrue();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void pipeDeliversStdinAndItsEndThenExit(Endpoint endpoint) throws Exception {
        try (FrameClient c = FrameClient.connect(endpoint)) {
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

    @ParameterizedTest
    @MethodSource("endpoints")
    void ttyReportsItsInitialSizeAndTheSizeAfterResize(Endpoint endpoint) throws Exception {
        try (FrameClient c = FrameClient.connect(endpoint)) {
            c.send(FrameClient.tty("stty size; echo mark; read line; stty size", 30, 100));
            FrameClient.Transcript t = new FrameClient.Transcript();
            c.awaitStdout(t, "mark");
            assertThat(t.stdout()).startsWith("30 100\r\n");

            c.resize(40, 120);
            c.stdin("\r");
            FrameClient.Transcript rest = c.transcript();

            assertThat(rest.stdout()).contains("40 120\r\n");
            assertThat(rest.exit).isZero();
        }
    }

    @Test
    void ttyGetsTheDefaultSizeAndTermWhenTheRequestSetsNone() throws Exception {
        FrameClient.Transcript t = FrameClient.run(agent.unix, FrameClient.tty("stty size; echo $TERM; tty", 0, 0));

        assertThat(t.stdout()).startsWith("24 80\r\nxterm-256color\r\n/dev/pts/");
        assertThat(t.exit).isZero();
    }

    @Test
    void ttyRunsTheCommandAsSessionLeaderOfItsTerminal() throws Exception {
        // $$ is the shell; ps-free: /proc/self/stat of the shell names its session and terminal group.
        FrameClient.Transcript t = FrameClient.run(agent.unix, FrameClient.tty(
                "read -r a b c d e f g h rest < /proc/$$/stat; echo \"$$ $f $h\"", 0, 0));

        String[] ids = t.stdout().strip().split(" ");
        assertThat(ids[1]).as("session id").isEqualTo(ids[0]);
        assertThat(ids[2]).as("terminal's foreground group").isEqualTo(ids[0]);
    }

    @Test
    void emptyStdinInTtyModeTypesEndOfFile() throws Exception {
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(FrameClient.tty("cat; echo cat-done", 0, 0));
            c.stdin("hello\r");
            c.endInput();
            FrameClient.Transcript t = c.transcript();

            assertThat(t.stdout()).contains("hello\r\nhello\r\n").endsWith("cat-done\r\n");
            assertThat(t.exit).isZero();
        }
    }

    @Test
    void exitCodesAreTheShellsIncludingSignals() throws Exception {
        Map<String, Integer> expected = Map.of(
                "true", 0,
                "exit 3", 3,
                "/etc/passwd", 126,
                "no-such-command-here", 127,
                "kill -INT $$", 130,
                "kill -KILL $$", 137);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(FrameClient.exec(agent.unix, ExecRequest.of(e.getKey())).exitCode())
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void argsRunTheProgramWithoutAShell() throws Exception {
        ExecResponse r = FrameClient.exec(agent.unix,
                new ExecRequest("printf", List.of("%s|", "a b", "$HOME", "*"), null, null, null, null));

        assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo("a b|$HOME|*|");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void missingProgramExits127WithTheReasonOnStderr() throws Exception {
        ExecResponse r = FrameClient.exec(agent.unix, new ExecRequest("no-such-program", List.of("x"), null, null, null, null));

        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(new String(r.stderr(), StandardCharsets.UTF_8))
                .isEqualTo("vsockexec: exec \"no-such-program\": executable file not found in PATH\n");
        assertThat(r.error()).isEmpty();
    }

    @Test
    void programThatIsNotExecutableExits126() throws Exception {
        Path script = Files.writeString(dir.resolve("not-executable"), "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

        FrameClient.Transcript t = FrameClient.run(agent.unix,
                new Message.ExecPipe(new ExecRequest(script.toString(), List.of("x"), null, null, null, null)));

        assertThat(t.exit).isEqualTo(126);
        assertThat(t.stderr()).startsWith("vsockexec: exec \"" + script + "\": permission denied");
    }

    @Test
    void missingWorkingDirectoryExits126WithTheReasonOnStderr() throws Exception {
        FrameClient.Transcript t = FrameClient.stream(agent.unix,
                new ExecRequest("pwd", null, "/no/such/dir", null, null, null));

        assertThat(t.result.exitCode()).isEqualTo(126);
        assertThat(t.stderr()).isEqualTo("vsockexec: chdir /no/such/dir: ENOENT (No such file or directory)\n");
    }

    @Test
    void workingDirectoryAndEnvironmentApply() throws Exception {
        ExecResponse r = FrameClient.exec(agent.unix,
                new ExecRequest("echo \"$(pwd) $GREETING\"", null, dir.toString(), Map.of("GREETING", "hi"), null, null));

        assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo(dir.toRealPath() + " hi\n");
    }

    @Test
    void execFeedsTheRequestsStdinBytes() throws Exception {
        ExecResponse r = FrameClient.exec(agent.unix, new ExecRequest("wc -c", null, null, null, bytes("12345"), null));

        assertThat(new String(r.stdout(), StandardCharsets.UTF_8).strip()).isEqualTo("5");
    }

    @Test
    void stdinIsEmptyWithoutStdinBytes() throws Exception {
        ExecResponse r = FrameClient.exec(agent.unix, ExecRequest.of("wc -c"));

        assertThat(new String(r.stdout(), StandardCharsets.UTF_8).strip()).isEqualTo("0");
    }

    // ---------------------------------------------------------------- users

    @Test
    void userNobodyRunsWithItsUidGroupsAndHome() throws Exception {
        assumeTrue(io.vsockexec.nativeio.Users.effectiveUid() == 0, "needs root");

        ExecResponse r = FrameClient.exec(agent.unix,
                new ExecRequest("id -u; id -g; id -G; echo $USER $HOME", null, null, null, null, "nobody"));

        String home = Files.readAllLines(Path.of("/etc/passwd")).stream()
                .filter(l -> l.startsWith("nobody:")).findFirst().orElseThrow().split(":")[5];
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8))
                .isEqualTo("65534\n65534\n65534\nnobody " + home + "\n");
    }

    @Test
    void unknownUserExits126WithTheReason() throws Exception {
        FrameClient.Transcript t = FrameClient.run(agent.unix,
                new Message.ExecPipe(new ExecRequest("id", null, null, null, null, "no-such-user-here")));

        assertThat(t.exit).isEqualTo(126);
        assertThat(t.stderr()).contains("unknown user \"no-such-user-here\"");
    }

    // ---------------------------------------------------------------- output

    @Test
    void outputKeepsItsOrderWithinEachStream() throws Exception {
        FrameClient.Transcript t = FrameClient.stream(agent.unix,
                ExecRequest.of("i=0; while [ $i -lt 2000 ]; do echo $i; echo e$i >&2; i=$((i+1)); done"));

        assertThat(t.stdout()).isEqualTo(IntStream.range(0, 2000).mapToObj(i -> i + "\n").collect(Collectors.joining()));
        assertThat(t.stderr()).isEqualTo(IntStream.range(0, 2000).mapToObj(i -> "e" + i + "\n").collect(Collectors.joining()));
    }

    @Test
    void streams256MiBIntact() throws Exception {
        long size = 256L << 20;
        // The agent runs `yes` through head; the expected bytes are the same pattern, generated here.
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecStream(ExecRequest.of("yes 0123456789abcdef | head -c " + size)));
            CRC32C actual = new CRC32C();
            long received = 0;
            Frame f;
            while ((f = c.next()).type() == MessageType.STDOUT) {
                actual.update(f.payload());
                received += f.payload().length;
            }
            assertThat(f.type()).isEqualTo(MessageType.EXEC_RESULT);
            assertThat(Payloads.decodeExecResponse(f.payload()).exitCode()).isZero();
            assertThat(received).isEqualTo(size);
            assertThat(actual.getValue()).isEqualTo(repeatedCrc("0123456789abcdef\n", size));
        }
    }

    @Test
    void pipes64MiBThroughCatIntact() throws Exception {
        int size = 64 << 20;
        try (FrameClient c = FrameClient.connect(agent.hybrid)) {
            c.send(new Message.ExecPipe(ExecRequest.of("cat")));
            CRC32C sent = new CRC32C();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    java.util.Random random = new java.util.Random(42);
                    byte[] chunk = new byte[48 * 1024];
                    for (int done = 0; done < size; done += chunk.length) {
                        random.nextBytes(chunk);
                        int n = Math.min(chunk.length, size - done);
                        sent.update(chunk, 0, n);
                        c.writer.write(MessageType.STDIN, chunk, 0, n);
                    }
                    c.endInput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CRC32C received = new CRC32C();
            long count = 0;
            Frame f;
            while ((f = c.next()).type() == MessageType.STDOUT) {
                received.update(f.payload());
                count += f.payload().length;
            }
            writer.join();
            assertThat(f.type()).isEqualTo(MessageType.EXIT);
            assertThat(Payloads.decodeExitCode(f.payload())).isZero();
            assertThat(count).isEqualTo(size);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
        }
    }

    @Test
    void outputOfABackgroundChildIsRelayedUntilTheDrainTimeoutThenTheResultComes() throws Exception {
        // The background sleep keeps stdout open after the shell exits; the agent reports anyway.
        FrameClient.Transcript t = FrameClient.stream(agent.unix, ExecRequest.of("sleep 3 & echo before-exit"));

        assertThat(t.stdout()).isEqualTo("before-exit\n");
        assertThat(t.result).isEqualTo(ExecResponse.exited(0));
    }

    @Test
    void everyByteWrittenBeforeExitArrivesBeforeTheExit() throws Exception {
        for (int i = 0; i < 20; i++) {
            FrameClient.Transcript t = FrameClient.run(agent.unix,
                    new Message.ExecPipe(ExecRequest.of("head -c 100000 /dev/zero; echo; echo last >&2")));
            assertThat(t.stdout.size()).isEqualTo(100001);
            assertThat(t.stderr()).isEqualTo("last\n");
            assertThat(t.exit).isZero();
        }
    }

    // ---------------------------------------------------------------- signals and cancellation

    @Test
    void signalFrameReachesAGrandchildInTheGroup() throws Exception {
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecPipe(ExecRequest.of(
                    "(trap 'echo grandchild-got-term; exit 0' TERM; echo ready; while :; do sleep 0.05; done) & wait")));
            FrameClient.Transcript t = new FrameClient.Transcript();
            c.awaitStdout(t, "ready");

            c.signal(Signals.SIGTERM);
            FrameClient.Transcript rest = c.transcript();

            assertThat(rest.stdout()).contains("grandchild-got-term");
            assertThat(rest.exit).isEqualTo(143);
        }
    }

    @Test
    void signalFrameInTtyModeReachesTheForegroundJob() throws Exception {
        try (FrameClient c = FrameClient.connect(agent.unix)) {
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

    @Test
    void controlCOnTheTerminalInterruptsTheForegroundJob() throws Exception {
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(FrameClient.tty("echo ready; exec sleep 30", 0, 0));
            c.awaitStdout(new FrameClient.Transcript(), "ready");

            c.stdin("\u0003");

            assertThat(c.transcript().exit).isEqualTo(130);
        }
    }

    @Test
    void disconnectKillsTheGroupIncludingAGrandchild() throws Exception {
        long grandchild;
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecPipe(ExecRequest.of("sleep 1000 & echo $!; wait")));
            grandchild = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
            assertThat(AgentProcess.isAlive(grandchild)).isTrue();
        }

        awaitTrue(() -> !AgentProcess.isAlive(grandchild), "grandchild " + grandchild + " still alive");
    }

    @Test
    void disconnectKillsAGrandchildThatIgnoresSigtermAfterTheGrace() throws Exception {
        long grandchild;
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecStream(ExecRequest.of(
                    "sh -c 'trap \"\" TERM; echo $$; exec sleep 1000' & wait")));
            grandchild = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
        }

        awaitTrue(() -> !AgentProcess.isAlive(grandchild), "grandchild " + grandchild + " ignoring SIGTERM survived");
    }

    @Test
    void disconnectOfATtySessionKillsItsBackgroundJobs() throws Exception {
        long job;
        try (FrameClient c = FrameClient.connect(agent.unix)) {
            // set -m: the job gets a process group of its own, as in an interactive shell.
            c.send(FrameClient.tty("set -m; sleep 1000 & echo job=$!; wait", 0, 0));
            String out = c.awaitStdout(new FrameClient.Transcript(), "\r\n");
            job = Long.parseLong(out.substring(out.indexOf("job=") + 4).strip());
        }

        awaitTrue(() -> !AgentProcess.isAlive(job), "background job " + job + " still alive");
    }

    // ---------------------------------------------------------------- robustness

    @Test
    void malformedRequestsAreAnsweredInTheirModesWayAndTheAgentServesOn() throws Exception {
        // Bad JSON, as an Exec: the error is in ExecResult.
        FrameClient.Transcript badJson = FrameClient.run(agent.unix, null, frame(1, "{\"command\":5}".getBytes()));
        assertThat(badJson.result.exitCode()).isEqualTo(1);
        assertThat(badJson.result.error()).startsWith("invalid request: ").contains("command");

        // Bad JSON, as an ExecPipe: a Stderr line and Exit 1.
        FrameClient.Transcript badPipe = FrameClient.run(agent.unix, null, frame(12, "not json".getBytes()));
        assertThat(badPipe.stderr()).startsWith("vsockexec: invalid request: ");
        assertThat(badPipe.exit).isEqualTo(1);

        // An unknown type.
        FrameClient.Transcript unknown = FrameClient.run(agent.unix, null, frame(13, "{}".getBytes()));
        assertThat(unknown.result.error()).startsWith("unknown message type 13");

        // A header claiming 4 GiB for an ExecTTY: answered at once, the payload never read.
        FrameClient.Transcript oversized = FrameClient.run(agent.unix, null, new byte[] {9, -1, -1, -1, -1});
        assertThat(oversized.stderr()).contains("exceeds the frame limit of 16777216 bytes");
        assertThat(oversized.exit).isEqualTo(1);

        // Garbage: an HTTP request. 'G' is type 71.
        FrameClient.Transcript garbage = FrameClient.run(agent.unix, null,
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.result.error()).isNotEmpty();

        // A first frame that is no request.
        FrameClient.Transcript stdinFirst = FrameClient.run(agent.unix, null, frame(7, "x".getBytes()));
        assertThat(stdinFirst.result.error()).contains("expected a request");

        // A connection that sends nothing is closed after the request timeout.
        try (FrameClient silent = FrameClient.connect(agent.unix)) {
            assertThat(silent.atEnd()).isTrue();
        }

        assertThat(FrameClient.exec(agent.hybrid, ExecRequest.of("echo still-serving")).stdout())
                .isEqualTo(bytes("still-serving\n"));
    }

    @Test
    void readinessEndpointAcceptsAndClosesAtOnce() throws Exception {
        try (Connection c = Transports.dial(agent.ready, Deadline.after(PATIENCE))) {
            c.readTimeout(io.vsockexec.nativeio.Timeout.of(PATIENCE));
            assertThat(c.input().read()).isEqualTo(-1);
        }
    }

    @Test
    void sixtyFourConcurrentSessionsAllCorrect() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<FrameClient.Transcript>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Endpoint e = i % 2 == 0 ? agent.unix : agent.hybrid;
                String cmd = "echo out-" + i + "; echo err-" + i + " >&2; exit " + (i % 7);
                results.add(pool.submit(() -> FrameClient.stream(e, ExecRequest.of(cmd))));
            }
            for (int i = 0; i < 64; i++) {
                FrameClient.Transcript t = results.get(i).get();
                assertThat(t.stdout()).isEqualTo("out-" + i + "\n");
                assertThat(t.stderr()).isEqualTo("err-" + i + "\n");
                assertThat(t.result.exitCode()).isEqualTo(i % 7);
            }
        }
    }

    @Test
    void noZombiesAfterTwoHundredSessions() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                codes.add(pool.submit(() -> switch (n % 4) {
                    case 0 -> FrameClient.exec(agent.unix, ExecRequest.of("exit " + (n % 5))).exitCode();
                    case 1 -> FrameClient.stream(agent.unix, ExecRequest.of("true & exit " + (n % 5))).code();
                    case 2 -> FrameClient.run(agent.unix, new Message.ExecPipe(ExecRequest.of("exit " + (n % 5)))).code();
                    default -> FrameClient.run(agent.unix, FrameClient.tty("exit " + (n % 5), 0, 0)).code();
                }));
                if (codes.size() % 16 == 0) {
                    for (Future<Integer> f : codes.subList(codes.size() - 16, codes.size())) {
                        f.get(); // bounded concurrency: 16 at a time on 2 cores
                    }
                }
            }
            for (int i = 0; i < 200; i++) {
                assertThat(codes.get(i).get()).isEqualTo(i % 5);
            }
        }

        assertThat(agent.zombieChildren()).isEmpty();
    }

    @Test
    void logsOneLinePerSessionWithoutEnvironmentValuesOrInput() throws Exception {
        FrameClient.Transcript t = FrameClient.run(agent.unix, new Message.ExecPipe(
                new ExecRequest("cat", List.of(), null, Map.of("SECRET_TOKEN", "hunter2-env"), bytes("hunter2-stdin"), null)),
                frame(7, new byte[0]));
        assertThat(t.stdout()).isEqualTo("hunter2-stdin");

        awaitTrue(() -> agent.stderr().contains("exec-pipe /bin/sh -c user=- exit=0"), "no session line:\n" + agent.stderr());
        assertThat(agent.stderr()).doesNotContain("hunter2");
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

    private static long repeatedCrc(String pattern, long size) {
        byte[] unit = pattern.getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[unit.length * 4096];
        for (int i = 0; i < 4096; i++) {
            System.arraycopy(unit, 0, block, i * unit.length, unit.length);
        }
        CRC32C crc = new CRC32C();
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(block.length, left);
            crc.update(block, 0, n);
            left -= n;
        }
        return crc.getValue();
    }

    /** Polls {@code condition} until it holds; fails after a generous deadline (no timing is asserted). */
    static void awaitTrue(BooleanSupplier condition, String failure) {
        Deadline deadline = Deadline.after(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (deadline.hasPassed()) {
                throw new AssertionError(failure);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
