package io.vsockexec.conformance;

import static io.vsockexec.conformance.Processes.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a test on the agent's own machine can see or do, each against an agent process of
 * its own ({@code vsockexec agent}): signals to the agent, how it was started, its options
 * (session cap, frame limit, subreaper), its children and its log ({@code agent.log} in the test's
 * temporary directory). Everything an endpoint alone shows is in {@link ConformanceSuite}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentLifecycleTest {
    @TempDir
    Path dir;

    private Endpoint unix;
    private Endpoint hybrid;
    private Endpoint ready;

    @BeforeEach
    void endpoints() {
        unix = Endpoint.parse("unix://" + dir.resolve("exec.sock"));
        hybrid = Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000");
        ready = Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5002");
    }

    /** A ready agent on a Unix socket and on a hybrid VM socket (exec port 5000, readiness 5002). */
    private AgentProcess start(String... options) throws IOException {
        return start(AgentProcessSuite.agentCommand(), options);
    }

    /** The same, started by {@code command}; stopped again if it does not get ready. */
    private AgentProcess start(List<String> command, String... options) throws IOException {
        return AgentProcessConformance.startReady(command, List.of(unix, hybrid), ready, List.of(options),
                dir.resolve("agent.log"), env -> { });
    }

    // ---------------------------------------------------------------- signals to the agent

    @Test
    void sigtermStopsTheAgentWithStatusZeroAndKillsItsRunningSession() throws Exception {
        try (AgentProcess agent = start("--grace", "2s");
                FrameClient c = FrameClient.connect(unix)) {
            c.send(new Message.ExecPipe(ExecRequest.of("echo $$; exec sleep 1000")));
            long pid = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());

            assertThat(agent.terminate(Duration.ofSeconds(60))).isZero();

            assertThat(c.transcript().exit).as("the host still gets the exit of its command").isEqualTo(143);
            Processes.awaitGone(pid, "session process " + pid + " survived the agent");
        }
    }

    @Test
    void sigintStopsAForegroundAgentWithStatusZero() throws Exception {
        try (AgentProcess agent = start()) {
            kill("INT", agent.pid());

            assertThat(agent.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.process().exitValue()).isZero();
        }
    }

    @Test
    void agentStartedWithSigintIgnoredKeepsIgnoringItButItsCommandsDoNot() throws Exception {
        // As a shell's background job is started: with SIGINT ignored.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        command.addAll(AgentProcessSuite.agentCommand());
        try (AgentProcess agent = start(command)) {
            kill("INT", agent.pid());

            try (FrameClient c = FrameClient.connect(unix)) {
                c.send(FrameClient.tty("echo ready; exec sleep 30", 0, 0));
                c.awaitStdout(new FrameClient.Transcript(), "ready");
                c.stdin("\u0003");

                assertThat(c.transcript().exit).as("^C interrupts sleep").isEqualTo(130);
            }
            assertThat(agent.process().isAlive()).isTrue();
            assertThat(agent.terminate(Duration.ofSeconds(60))).isZero();
        }
    }

    // ---------------------------------------------------------------- options

    @Test
    @SuppressWarnings("try") // the agent only has to run; the test talks to its endpoints
    void sessionsBeyondTheCapAreAnsweredBusy() throws Exception {
        try (AgentProcess agent = start("--max-sessions", "2");
                FrameClient first = FrameClient.connect(unix);
                FrameClient second = FrameClient.connect(hybrid)) {
            for (FrameClient c : new FrameClient[] {first, second}) {
                c.send(new Message.ExecPipe(ExecRequest.of("cat")));
                c.stdin("running\n");
                c.awaitStdout(new FrameClient.Transcript(), "running");
            }

            ExecResponse third = FrameClient.exec(unix, ExecRequest.of("echo third"));
            FrameClient.Transcript thirdPipe = FrameClient.run(unix, new Message.ExecPipe(ExecRequest.of("true")));

            assertThat(third.error()).isEqualTo("agent busy: 2 sessions running");
            assertThat(third.exitCode()).isEqualTo(1);
            assertThat(thirdPipe.stderr()).isEqualTo("vsockexec: agent busy: 2 sessions running\n");
            assertThat(thirdPipe.exit).isEqualTo(1);

            first.endInput();
            assertThat(first.transcript().exit).isZero();
            first.connection().close(); // the session ends once its host closes
            awaitTrue(() -> {
                try {
                    return FrameClient.exec(unix, ExecRequest.of("true")).error().isEmpty();
                } catch (IOException closedAtOnce) {
                    // The refusals above may still be lingering for their hosts to close; while
                    // both slots and both refusals are taken, the agent closes a connection at
                    // once (see Agent). Not free yet: ask again.
                    return false;
                }
            }, "a session slot did not come free");
        }
    }

    @Test
    @SuppressWarnings("try") // the agent only has to run; the test talks to its endpoints
    void execOutputBeyondTheFrameLimitIsTruncatedWithAnErrorAndTheRealExitCode() throws Exception {
        try (AgentProcess agent = start("--max-frame", "64KiB")) {
            ExecResponse r = FrameClient.exec(unix, ExecRequest.of("head -c 1000000 /dev/zero; exit 4"));

            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.error()).contains("exceeded").contains("use streaming");
            assertThat(r.stdout().length()).isEqualTo((64 * 1024 - 4096) / 4 * 3);

            FrameClient.Transcript streamed = FrameClient.stream(unix, ExecRequest.of("head -c 1000000 /dev/zero"));
            assertThat(streamed.stdout.size()).isEqualTo(1_000_000);
            assertThat(streamed.result).isEqualTo(ExecResponse.exited(0));
        }
    }

    @Test
    void asSubreaperTheAgentReapsOrphansOfItsSessions() throws Exception {
        try (AgentProcess agent = start("--subreaper")) {
            // The background sleep outlives its shell; orphaned, it becomes the agent's child.
            FrameClient.Transcript t = FrameClient.stream(unix, ExecRequest.of("sleep 30 >/dev/null & echo $!"));
            long orphan = Long.parseLong(t.stdout().strip());
            awaitTrue(() -> Processes.parentOf(orphan) == agent.pid(),
                    "orphan " + orphan + " was not reparented to the agent");

            kill("TERM", orphan);

            awaitTrue(() -> Processes.parentOf(orphan) == -1, "orphan " + orphan + " was not reaped");
            assertThat(Processes.zombieChildrenOf(agent.pid())).isEmpty();
        }
    }

    // ---------------------------------------------------------------- its children and its log

    @Test
    void noZombiesAfterTwoHundredSessions() throws Exception {
        try (AgentProcess agent = start();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                codes.add(pool.submit(() -> switch (n % 4) {
                    case 0 -> FrameClient.exec(unix, ExecRequest.of("exit " + (n % 5))).exitCode();
                    case 1 -> FrameClient.stream(unix, ExecRequest.of("true & exit " + (n % 5))).code();
                    case 2 -> FrameClient.run(unix, new Message.ExecPipe(ExecRequest.of("exit " + (n % 5)))).code();
                    default -> FrameClient.run(unix, FrameClient.tty("exit " + (n % 5), 0, 0)).code();
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

            assertThat(Processes.zombieChildrenOf(agent.pid())).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("try") // the agent only has to run; the test talks to its endpoints and reads its log
    void logsItsReadyLineAndOneLinePerSessionWithoutEnvironmentValuesOrInput() throws Exception {
        try (AgentProcess agent = start()) {
            String readyLine = "vsockexec agent ready: exec " + unix + ", exec " + hybrid + ", ready " + ready + "\n";
            awaitTrue(() -> log().contains(readyLine), "no ready line:\n" + log());

            FrameClient.Transcript t = FrameClient.run(unix, new Message.ExecPipe(new ExecRequest("cat", List.of(),
                    null, Map.of("SECRET_TOKEN", "hunter2-env"), Bytes.utf8("hunter2-stdin"), null)),
                    endOfInput());
            assertThat(t.stdout()).isEqualTo("hunter2-stdin");

            awaitTrue(() -> log().contains("exec-pipe /bin/sh -c user=- exit=0"), "no session line:\n" + log());
            assertThat(log()).doesNotContain("hunter2");
        }
    }

    /** What the agent has written so far: its ready line on stdout, then its stderr. */
    private String log() {
        try {
            return Files.readString(dir.resolve("agent.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty Stdin frame, raw: the end of the input. */
    private static byte[] endOfInput() {
        return new byte[] {(byte) MessageType.STDIN.code(), 0, 0, 0, 0};
    }

    private static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
