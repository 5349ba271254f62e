package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.ExecStatus;
import io.vsockexec.client.PipeExecution;
import io.vsockexec.client.TtySession;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.nativeio.Users;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The end-to-end contract of an agent, run against any endpoint: the one suite of the project.
 * This class holds what a user of the host SDK sees (exit codes, argv, environment, working
 * directory and users, output live and in order, 256 MiB streamed and 64 MiB piped intact,
 * signals to the process group, terminal size, resize and Ctrl-C, cancellation by disconnecting,
 * concurrency); it inherits from {@link WireConformanceSuite} what only the frames show. Each
 * behaviour is proven once, in one of the two.
 *
 * <p>The file and port-forward requests are proven in {@link FileConformance} and
 * {@link PortForwardConformance}, the streamed copies in {@link CopyConformance}, and the command
 * line's {@code port-forward} in {@link CliPortForwardConformance}, which this suite implements, so
 * they run wherever it runs.
 *
 * <p>A subclass says where a running agent listens ({@link #execEndpoint()},
 * {@link #readyEndpoint()}); the suite is the same over Unix sockets, emulated hybrid vsock, TCP
 * and real AF_VSOCK (inside user-mode Linux, or through a VM's virtio-vsock device); tests look at
 * the agent's processes and files through {@link #machine()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ConformanceSuite extends WireConformanceSuite implements FileConformance, PortForwardConformance,
        CopyConformance, CliPortForwardConformance {
    /** A safety net for each exec, far above what any test needs. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int MIB = 1 << 20;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public final Endpoint agentEndpoint() {
        return execEndpoint();
    }

    @Override
    public final AgentMachine agentMachine() {
        return machine();
    }

    @AfterAll
    void stopThreads() {
        threads.shutdownNow();
    }

    private VsockExecClient client() {
        return VsockExecClient.of(execEndpoint());
    }

    private static Command shell(String script) {
        return Command.shell(script).withTimeout(PATIENCE);
    }

    // ------------------------------------------------------------------ batch mode

    @Test
    void argvRunsTheProgramWithoutAShell() throws IOException {
        ExecResult r = client().exec(Command.argv("printf", "%s|", "a b", "$HOME", "*").withTimeout(PATIENCE));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdoutText()).isEqualTo("a b|$HOME|*|");
    }

    @Test
    void exitCodesFollowTheShellConventions() throws IOException {
        // The agent's own 126 and 127, for a program it cannot start, are proven with their
        // reasons frame by frame (WireConformanceSuite); these are the shell's.
        VsockExecClient c = client();
        assertThat(c.exec(shell("true")).exitCode()).isZero();
        assertThat(c.exec(shell("exit 3")).exitCode()).isEqualTo(3);
        Path notExecutable = machine().newFile("vsockexec-conformance", ".txt", "", false);
        try {
            assertThat(c.exec(shell("'" + notExecutable + "' x")).exitCode())
                    .as("found but not executable").isEqualTo(126);
        } finally {
            machine().delete(notExecutable);
        }
        assertThat(c.exec(shell("vsockexec-no-such-program")).exitCode()).as("not found").isEqualTo(127);
        assertThat(c.exec(shell("kill -INT $$")).exitCode()).as("killed by SIGINT").isEqualTo(130);
        assertThat(c.exec(shell("kill -KILL $$")).exitCode()).as("killed by SIGKILL").isEqualTo(137);
    }

    @Test
    void environmentWorkingDirectoryAndStdinApply() throws IOException {
        Command command = shell("printf '%s %s ' \"$GREETING\" \"$(pwd)\"; cat")
                .withEnv("GREETING", "hello")
                .withWorkingDir("/usr");
        ExecResult r = client().run(command, new java.io.ByteArrayInputStream("piped".getBytes(UTF_8)),
                null, null);
        assertThat(r.stdoutText()).isEqualTo("hello /usr piped");
    }

    @Test
    void requestedUserRunsWithItsUidGroupsAndHome() throws IOException {
        // The agent runs as the same user as the suite, and switches users only as root.
        assumeTrue(Users.effectiveUid() == 0, "the agent switches users only as root");
        ExecResult r = client().exec(shell("id -u; id -g; id -G; echo $USER $HOME").withUser("nobody"));
        String home = machine().read(Path.of("/etc/passwd")).lines()
                .filter(l -> l.startsWith("nobody:")).findFirst().orElseThrow().split(":")[5];
        assertThat(r.stdoutText()).isEqualTo("65534\n65534\n65534\nnobody " + home + "\n");
    }

    @Test
    void cancellingABufferedExecKillsTheCommand() throws Exception {
        Path pidFile = machine().newPath("vsockexec-buffered", ".pid");
        try {
            // Written under another name and renamed, so the test never reads half a number.
            Future<ExecResult> running = threads.submit(() -> client().exec(shell(
                    "echo $$ > " + pidFile + ".part && mv " + pidFile + ".part " + pidFile + "; exec sleep 300")));
            Processes.awaitTrue(() -> Processes.unchecked(() -> machine().exists(pidFile)), "the command never started");
            long pid = Long.parseLong(machine().read(pidFile).strip());
            assertThat(machine().isAlive(pid)).isTrue();
            running.cancel(true); // the client closes the connection: the agent's cue to cancel
            Processes.awaitGone(machine(), pid, "the command of a cancelled buffered exec survived");
        } finally {
            machine().delete(pidFile);
        }
    }

    // ------------------------------------------------------------------ streaming mode

    @Test
    void streamingDeliversOutputWhileTheProcessRuns() throws Exception {
        // The command waits for a file that the test creates only after it has received the
        // first line: output held back until exit would leave it waiting until the timeout.
        Path marker = machine().newPath("vsockexec-live", ".marker");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        AtomicBoolean marked = new AtomicBoolean();
        OutputStream watcher = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stdout.write(b, off, len);
                if (stdout.toString(UTF_8).startsWith("first\n") && marked.compareAndSet(false, true)) {
                    machine().write(marker, "seen");
                }
            }
        };
        try {
            ExecStatus status = client().stream(shell(
                    "echo first; while [ ! -e '" + marker + "' ]; do sleep 0.02; done; echo second"),
                    watcher, OutputStream.nullOutputStream());
            assertThat(status.exitCode()).isZero();
            assertThat(stdout.toString(UTF_8)).isEqualTo("first\nsecond\n");
        } finally {
            machine().delete(marker);
        }
    }

    @Test
    void streamingKeepsOrderWithinEachStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecStatus status = client().stream(
                shell("i=0; while [ $i -lt 2000 ]; do echo o$i; echo e$i >&2; i=$((i+1)); done"), out, err);
        assertThat(status.exitCode()).isZero();
        assertThat(out.toString(UTF_8)).isEqualTo(numbered("o", 2000));
        assertThat(err.toString(UTF_8)).isEqualTo(numbered("e", 2000));
    }

    /** Bulk: limited by its progress, not its duration (see {@link Progress}); the limit here is a last resort. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void streams256MiBIntact() throws Exception {
        long size = 256L * MIB;
        DigestingOutput out = new DigestingOutput();
        ExecStatus status = Progress.watched("streams256MiBIntact, bytes", out::count, () -> client().stream(
                Command.shell("yes 0123456789abcdef | head -c " + size), out, OutputStream.nullOutputStream()));
        assertThat(status.exitCode()).isZero();
        assertThat(out.count()).isEqualTo(size);
        assertThat(out.hex()).isEqualTo(expectedYesDigest(size));
    }

    // ------------------------------------------------------------------ pipe mode

    /** Bulk: limited by its progress, not its duration (see {@link Progress}); the limit here is a last resort. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void pipes64MiBThroughCatIntact() throws Exception {
        PatternInput in = new PatternInput(64L * MIB);
        DigestingOutput out = new DigestingOutput();
        ExecStatus status = Progress.watched("pipes64MiBThroughCatIntact, bytes", out::count,
                () -> client().pipe(Command.argv("cat"), in, out, OutputStream.nullOutputStream()));
        assertThat(status.exitCode()).isZero();
        assertThat(out.count()).isEqualTo(64L * MIB);
        assertThat(out.hex()).isEqualTo(in.hex());
    }

    @Test
    void signalReachesEveryProcessInTheGroup() throws Exception {
        // The grandchild traps SIGTERM and says so: proof that the signal itself reached it, not
        // some later cleanup.
        LineCollector out = new LineCollector();
        try (PipeExecution p = client().startPipe(shell("(trap 'echo grandchild-got-term; exit 0' TERM;"
                + " echo ready; while :; do sleep 0.05; done) & wait"),
                InputStream.nullInputStream(), out, OutputStream.nullOutputStream())) {
            assertThat(out.awaitLine(Deadline.after(PATIENCE))).isEqualTo("ready");
            p.signal(15);
            ExecStatus status = p.waitFor();
            assertThat(status.exitCode()).as("the shell, killed by SIGTERM").isEqualTo(128 + 15);
            assertThat(out.text()).contains("grandchild-got-term");
        }
    }

    @Test
    void disconnectingKillsTheProcessGroupGrandchildrenIncluded() throws Exception {
        LineCollector out = new LineCollector();
        long grandchild;
        try (PipeExecution p = client().startPipe(shell("sleep 300 & echo $!; wait"),
                InputStream.nullInputStream(), out, OutputStream.nullOutputStream())) {
            grandchild = Long.parseLong(out.awaitLine(Deadline.after(PATIENCE)));
            assertThat(machine().isAlive(grandchild)).isTrue();
            assertThat(p.isDone()).as("the command runs until the host goes").isFalse();
        }
        // The agent sends SIGTERM to the group, and SIGKILL after its grace period.
        Processes.awaitGone(machine(), grandchild, "grandchild " + grandchild + " survived the disconnect");
    }

    // ------------------------------------------------------------------ terminal mode

    @Test
    void terminalHasTheRequestedSizeAndFollowsResize() throws Exception {
        try (TtySession tty = client().openTty(shell("tty; stty size; read line; stty size"), 30, 100)) {
            TerminalReader screen = new TerminalReader(tty.output());
            screen.awaitText("30 100");
            assertThat(screen.text()).containsPattern("/dev/pts/\\d+");
            tty.resize(40, 120);
            tty.write("\n".getBytes(UTF_8));
            screen.awaitText("40 120");
            assertThat(tty.waitFor().exitCode()).isZero();
        }
    }

    @Test
    void ctrlCInterruptsTheForegroundJob() throws Exception {
        try (TtySession tty = client().openTty(shell("echo started; exec sleep 300"), 24, 80)) {
            new TerminalReader(tty.output()).awaitText("started");
            // Keep typing Ctrl-C until it lands: the first may arrive before sleep runs.
            Future<ExecStatus> done = threads.submit(tty::waitFor);
            while (!done.isDone()) {
                tty.write(new byte[] {3});
                try {
                    done.get(200, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // type it again
                }
            }
            assertThat(done.get().exitCode()).isEqualTo(130);
        }
    }

    // ------------------------------------------------------------------ robustness

    /** Limited by its progress, sessions answered, not its duration (see {@link Progress}). */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void sixtyFourConcurrentSessionsEachGetTheirOwnAnswer() throws Exception {
        // The sleep keeps every session running while the others start.
        List<Future<ExecResult>> results = new ArrayList<>();
        VsockExecClient c = client();
        for (int i = 0; i < 64; i++) {
            String script = "sleep 0.2; echo out-" + i + "; echo err-" + i + " >&2; exit " + (i % 7);
            results.add(threads.submit(() -> c.exec(Command.shell(script))));
        }
        Progress.watched("sixtyFourConcurrentSessions, answered", () -> results.stream().filter(Future::isDone).count(),
                () -> {
                    for (Future<ExecResult> r : results) {
                        r.get();
                    }
                    return null;
                });
        for (int i = 0; i < 64; i++) {
            ExecResult r = results.get(i).get();
            assertThat(r.stdoutText()).isEqualTo("out-" + i + "\n");
            assertThat(r.stderrText()).isEqualTo("err-" + i + "\n");
            assertThat(r.exitCode()).isEqualTo(i % 7);
        }
    }

    // ------------------------------------------------------------------ helpers

    static String numbered(String prefix, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(prefix).append(i).append('\n');
        }
        return b.toString();
    }

    /** The digest of the first {@code size} bytes of {@code yes 0123456789abcdef}. */
    private static String expectedYesDigest(long size) {
        byte[] line = "0123456789abcdef\n".getBytes(UTF_8);
        byte[] block = new byte[line.length * 4096]; // whole lines, so blocks join up
        for (int i = 0; i < 4096; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        DigestingOutput d = new DigestingOutput();
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(block.length, left);
            d.write(block, 0, n);
            left -= n;
        }
        return d.hex();
    }

    /** Counts and hashes what is written to it, so hundreds of MiB need not be held in memory. */
    static final class DigestingOutput extends OutputStream {
        private final MessageDigest digest = sha256();
        /** Written by one thread, read by a {@link Progress} watch. */
        private volatile long count;

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** A long deterministic input that hashes itself as it is read. */
    static final class PatternInput extends InputStream {
        private final MessageDigest digest = sha256();
        private long left;
        private long position;

        PatternInput(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = (byte) (p * 31 + (p >>> 13));
            }
            digest.update(b, off, n);
            position += n;
            left -= n;
            return n;
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Collects what is written to it; a test waits for the first line. */
    static final class LineCollector extends OutputStream {
        private final StringBuffer text = new StringBuffer();

        @Override
        public synchronized void write(int b) {
            text.append((char) b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            text.append(new String(b, off, len, UTF_8));
            notifyAll();
        }

        synchronized String awaitLine(Deadline deadline) throws InterruptedException {
            while (text.indexOf("\n") < 0) {
                if (deadline.hasPassed()) {
                    throw new AssertionError("no line within the deadline; got: " + text);
                }
                wait(Math.max(1, deadline.remainingNanos() / 1_000_000));
            }
            return text.substring(0, text.indexOf("\n")).trim();
        }

        /** Everything written so far. */
        synchronized String text() {
            return text.toString();
        }
    }

    /** Reads a terminal's output on its own thread and lets a test wait for some text. */
    final class TerminalReader {
        private final StringBuffer text = new StringBuffer();

        TerminalReader(InputStream output) {
            threads.submit(() -> {
                byte[] buf = new byte[4096];
                int n;
                while ((n = output.read(buf)) > 0) {
                    synchronized (this) {
                        text.append(new String(buf, 0, n, UTF_8));
                        notifyAll();
                    }
                }
                return null;
            });
        }

        synchronized void awaitText(String expected) throws InterruptedException {
            Deadline deadline = Deadline.after(PATIENCE);
            while (text.indexOf(expected) < 0) {
                if (deadline.hasPassed()) {
                    throw new AssertionError("terminal never showed \"" + expected + "\"; it showed: " + text);
                }
                wait(50);
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

}
