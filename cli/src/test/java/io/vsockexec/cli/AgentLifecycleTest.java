package io.vsockexec.cli;

import static io.vsockexec.cli.AgentEndToEndTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent processes of their own: signals to the agent, session caps, frame limits. */
class AgentLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheAgentWithStatusZeroAndKillsItsRunningSession() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "--grace", "2s");
                FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecPipe(ExecRequest.of("echo $$; exec sleep 1000")));
            long pid = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());

            assertThat(agent.terminate()).isZero();

            assertThat(c.transcript().exit).as("the host still gets the exit of its command").isEqualTo(143);
            awaitTrue(() -> !AgentProcess.isAlive(pid), "session process " + pid + " survived the agent");
        }
    }

    @Test
    void sigintStopsAForegroundAgentWithStatusZero() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir)) {
            kill("INT", agent.pid());

            assertThat(agent.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.process().exitValue()).isZero();
        }
    }

    @Test
    void agentStartedWithSigintIgnoredKeepsIgnoringItButItsCommandsDoNot() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, true)) {
            kill("INT", agent.pid());

            try (FrameClient c = FrameClient.connect(agent.unix)) {
                c.send(FrameClient.tty("echo ready; exec sleep 30", 0, 0));
                c.awaitStdout(new FrameClient.Transcript(), "ready");
                c.stdin("\u0003");

                assertThat(c.transcript().exit).as("^C interrupts sleep").isEqualTo(130);
            }
            assertThat(agent.process().isAlive()).isTrue();
            assertThat(agent.terminate()).isZero();
        }
    }

    @Test
    void sessionsBeyondTheCapAreAnsweredBusy() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "--max-sessions", "2");
                FrameClient first = FrameClient.connect(agent.unix);
                FrameClient second = FrameClient.connect(agent.hybrid)) {
            for (FrameClient c : new FrameClient[] {first, second}) {
                c.send(new Message.ExecPipe(ExecRequest.of("cat")));
                c.stdin("running\n");
                c.awaitStdout(new FrameClient.Transcript(), "running");
            }

            ExecResponse third = FrameClient.exec(agent.unix, ExecRequest.of("echo third"));
            FrameClient.Transcript thirdPipe = FrameClient.run(agent.unix, new Message.ExecPipe(ExecRequest.of("true")));

            assertThat(third.error()).isEqualTo("agent busy: 2 sessions running");
            assertThat(third.exitCode()).isEqualTo(1);
            assertThat(thirdPipe.stderr()).isEqualTo("vsockexec: agent busy: 2 sessions running\n");
            assertThat(thirdPipe.exit).isEqualTo(1);

            first.endInput();
            assertThat(first.transcript().exit).isZero();
            first.connection().close(); // the session ends once its host closes
            awaitTrue(() -> {
                try {
                    return FrameClient.exec(agent.unix, ExecRequest.of("true")).error().isEmpty();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "a session slot did not come free");
        }
    }

    @Test
    void execOutputBeyondTheFrameLimitIsTruncatedWithAnErrorAndTheRealExitCode() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "--max-frame", "64KiB")) {
            ExecResponse r = FrameClient.exec(agent.unix, ExecRequest.of("head -c 1000000 /dev/zero; exit 4"));

            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.error()).contains("exceeded").contains("use streaming");
            assertThat(r.stdout().length).isEqualTo((64 * 1024 - 4096) / 4 * 3);

            FrameClient.Transcript streamed = FrameClient.stream(agent.unix, ExecRequest.of("head -c 1000000 /dev/zero"));
            assertThat(streamed.stdout.size()).isEqualTo(1_000_000);
            assertThat(streamed.result).isEqualTo(ExecResponse.exited(0));
        }
    }

    @Test
    void asSubreaperTheAgentReapsOrphansOfItsSessions() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "--subreaper")) {
            // The background sleep outlives its shell; orphaned, it becomes the agent's child.
            FrameClient.Transcript t = FrameClient.stream(agent.unix, ExecRequest.of("sleep 30 >/dev/null & echo $!"));
            long orphan = Long.parseLong(t.stdout().strip());
            awaitTrue(() -> parentOf(orphan) == agent.pid(), "orphan " + orphan + " was not reparented to the agent");

            kill("TERM", orphan);

            awaitTrue(() -> parentOf(orphan) == -1, "orphan " + orphan + " was not reaped");
            assertThat(agent.zombieChildren()).isEmpty();
        }
    }

    private static long parentOf(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException gone) {
            return -1;
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
