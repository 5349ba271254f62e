package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every process a session started dies with it, against real agent processes: with the fallback
 * of process groups and a walk of the command's descendants ({@code --no-cgroups}), at the
 * agent's shutdown, and after the agent was killed. The escapee of these tests leaves its process
 * group and session ({@code setsid}) and ignores SIGTERM. How a cancelled session's escapees die,
 * a double-forked one in a cgroup included, {@link WireConformanceSuite} proves on every endpoint.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SessionContainmentTest {
    /** Leaves the session and the process group, ignores SIGTERM, holds none of the session's pipes. */
    static final String ESCAPEE = "setsid sh -c 'trap \"\" TERM; exec sleep 1000' </dev/null >/dev/null 2>&1 &";

    @TempDir
    Path dir;

    @Test
    void withoutCgroupsASetsidEscapeeBelowTheCommandDiesWithItsCancelledSession() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "tree-escapee", "--grace", "1s", "--no-cgroups")) {
            assertThat(agent.logLines("cgroups off (--no-cgroups); sessions are ended through their process groups"))
                    .isEqualTo(1);
            long escapee;
            try (FrameClient c = FrameClient.connect(agent.unix)) {
                // The command stays the escapee's parent: the walk of its descendants finds it.
                c.send(new Message.ExecPipe(ExecRequest.of(ESCAPEE + " echo $!; exec cat")));
                escapee = Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
                assertThat(cgroupOf(escapee)).doesNotContain("vsockexec-agent-");
            }

            Processes.awaitGone(escapee, "the escapee " + escapee + " survived its cancelled session");
        }
    }

    @Test
    void withCgroupsTheAgentsShutdownKillsWhatFinishedSessionsLeftRunning() throws Exception {
        long escapee;
        try (ExposedAgent agent = ExposedAgent.start(dir, "cgroup-shutdown", "--grace", "1s")) {
            assumeCgroups(agent);
            FrameClient.Transcript t = FrameClient.stream(agent.unix, ExecRequest.of(ESCAPEE + " echo $!"));
            assertThat(t.code()).isZero();
            escapee = Long.parseLong(t.stdout().strip());
            assertThat(Processes.isAlive(escapee)).as("a background process outlives a session that ended well").isTrue();

            assertThat(agent.process().terminate(java.time.Duration.ofSeconds(60))).isZero();
        }
        Processes.awaitGone(escapee, "the agent's shutdown left " + escapee + " running");
    }

    @Test
    void afterAnAgentIsKilledTheNextOneKillsWhatItsSessionsLeftButNotALiveAgentsSessions() throws Exception {
        Path deadDir = Files.createDirectory(dir.resolve("dead"));
        Path liveDir = Files.createDirectory(dir.resolve("live"));
        Path nextDir = Files.createDirectory(dir.resolve("next"));
        try (ExposedAgent killed = ExposedAgent.start(deadDir, "killed-agent");
                ExposedAgent live = ExposedAgent.start(liveDir, "live-agent");
                FrameClient orphaned = FrameClient.connect(killed.unix);
                FrameClient running = FrameClient.connect(live.unix)) {
            assumeCgroups(killed);
            long orphan = sessionProcess(orphaned);
            long alive = sessionProcess(running);

            killed.kill(); // SIGKILL: no cleanup of its own
            assertThat(Processes.isAlive(orphan)).as("a session process outlives its SIGKILLed agent").isTrue();

            try (ExposedAgent next = ExposedAgent.start(nextDir, "next-agent")) {
                next.awaitLog("cgroups: agent " + killed.pid() + " is gone; killed the 1 processes its sessions left"
                        + " and removed ");
                Processes.awaitGone(orphan, "the next agent left " + orphan + " of the killed agent running");
                assertThat(next.log()).doesNotContain("agent " + live.pid() + " is gone");
            }
            assertThat(Processes.isAlive(alive)).as("the live agent's session process").isTrue();
            assertThat(FrameClient.exec(live.unix, ExecRequest.of("echo still serving")).stdout().toByteArray())
                    .isEqualTo("still serving\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Starts {@code sh -c 'echo $$; exec sleep 1000'} and returns its pid. */
    private static long sessionProcess(FrameClient c) throws IOException {
        c.send(new Message.ExecPipe(ExecRequest.of("echo $$; exec sleep 1000")));
        return Long.parseLong(c.awaitStdout(new FrameClient.Transcript(), "\n").strip());
    }

    private static void assumeCgroups(ExposedAgent agent) {
        assumeTrue(agent.log().contains("cgroups: each session runs in a cgroup of its own"),
                () -> "the agent runs without cgroups here: " + agent.log().lines().findFirst().orElse(""));
    }

    /** The cgroup v2 path of process {@code pid}. */
    private static String cgroupOf(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup")).stream()
                .filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
    }
}
