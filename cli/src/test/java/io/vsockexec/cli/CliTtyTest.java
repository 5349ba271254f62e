package io.vsockexec.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pty;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec -it} under a real pseudo-terminal: the CLI child runs with a pty of this test as its
 * controlling terminal, as it would in a terminal emulator; the test is the user at the keyboard.
 */
class CliTtyTest {
    @TempDir
    Path dir;

    /** The settings of the terminal at {@code path}, as {@code stty} prints them with {@code flag}. */
    private static String stty(String flag, String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "stty " + flag + " < " + path).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    @Test
    void remoteTerminalFollowsTheLocalWindowAndTheLocalTerminalIsRestored() throws Exception {
        try (Agent agent = startAgent(); Pty pty = Pty.open(24, 80)) {
            String before = stty("-g", pty.slavePath());
            String remote = "tty; stty size; trap 'stty size; kill $!; exit 7' WINCH; echo ready; sleep 30 & wait";
            try (ChildProcess cli = execOnTerminal(remote, pty)) {
                StringBuilder screen = readUntil(pty.master(), "ready");
                // The CLI put its terminal in raw mode before the first output reached it.
                assertThat(stty("-a", pty.slavePath())).contains("-icanon", "-echo", "-isig");

                pty.resize(50, 132); // the kernel sends SIGWINCH to the CLI, which passes the size on
                screen.append(readToEnd(pty.master()));
                assertThat(cli.waitFor(Deadline.after(CliProcess.PATIENCE))).isEqualTo(ExitStatus.exited(7));

                List<String> lines = screen.toString().replace("\r\n", "\n").lines().map(String::strip).toList();
                assertThat(lines).anyMatch(line -> line.startsWith("/dev/pts/"))
                        .contains("24 80", "ready", "50 132");
            }
            assertThat(stty("-g", pty.slavePath())).isEqualTo(before);
        }
    }

    @Test
    void sigtermWhileRawRestoresTheTerminalAndStopsTheRemoteCommand() throws Exception {
        try (Agent agent = startAgent(); Pty pty = Pty.open(24, 80)) {
            String before = stty("-g", pty.slavePath());
            try (ChildProcess cli = execOnTerminal("echo pid $$; exec sleep 30", pty)) {
                String screen = readUntil(pty.master(), "\n").toString();
                long remotePid = Long.parseLong(screen.substring(screen.indexOf("pid ") + 4).strip());
                assertThat(stty("-a", pty.slavePath())).contains("-icanon");

                cli.signal(Signals.SIGTERM);
                assertThat(cli.waitFor(Deadline.after(CliProcess.PATIENCE))).isEqualTo(ExitStatus.exited(128 + 15));
                assertThat(awaitGone(remotePid)).as("remote sleep %d stopped", remotePid).isTrue();
            }
            assertThat(stty("-g", pty.slavePath())).isEqualTo(before);
        }
    }

    /** The emulated hybrid VM socket in the test's directory, which the agent listens on. */
    private Endpoint vm() {
        return Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000");
    }

    /** An agent in this JVM on {@link #vm()}. */
    private Agent startAgent() throws IOException {
        return Agent.start(AgentConfig.builder().listen(vm()).ready(List.of()).log(Log.discard()).build());
    }

    /** The CLI running {@code exec -it -- remote} against {@link #vm()}, with {@code pty} as its terminal. */
    private ChildProcess execOnTerminal(String remote, Pty pty) throws IOException {
        List<String> argv = CliProcess.command(List.of("exec", "-it", "--connect", vm().toString(), "--", remote));
        return ChildProcess.spawn(SpawnSpec.builder(argv)
                .environment(Map.of("PATH", System.getenv("PATH"), "LC_ALL", "C"))
                .terminal(pty)
                .build());
    }

    /** Waits until process {@code pid} (a child of the in-process agent) is gone; false if it outlives the patience. */
    private static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + CliProcess.PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                return true;
            }
            Thread.sleep(20); // polling a process table: there is no event to wait for
        }
        return false;
    }

    private static StringBuilder readUntil(Descriptor master, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        Deadline deadline = Deadline.after(CliProcess.PATIENCE);
        while (!seen.toString().contains(text)) {
            int n = master.read(buf, 0, buf.length, deadline);
            if (n < 0) {
                throw new AssertionError("terminal closed before \"" + text + "\": " + seen);
            }
            seen.append(new String(buf, 0, n, UTF_8));
        }
        return seen;
    }

    /** Reads until every holder of the slave has closed it (the CLI has exited). */
    private static String readToEnd(Descriptor master) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        Deadline deadline = Deadline.after(CliProcess.PATIENCE);
        for (int n = master.read(buf, 0, buf.length, deadline); n >= 0; n = master.read(buf, 0, buf.length, deadline)) {
            seen.append(new String(buf, 0, n, UTF_8));
        }
        return seen.toString();
    }
}
