package io.vsockexec.nativeio;

import static io.vsockexec.nativeio.ProcessTesting.ENV;
import static io.vsockexec.nativeio.ProcessTesting.PATIENCE;
import static io.vsockexec.nativeio.ProcessTesting.awaitDead;
import static io.vsockexec.nativeio.ProcessTesting.output;
import static io.vsockexec.nativeio.ProcessTesting.patience;
import static io.vsockexec.nativeio.ProcessTesting.readAll;
import static io.vsockexec.nativeio.ProcessTesting.readAllText;
import static io.vsockexec.nativeio.ProcessTesting.zombieChildren;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.PosixSpawn;
import io.vsockexec.nativeio.internal.ProcStat;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
    @TempDir
    Path dir;

    @Test
    void echoWritesToTheStdoutPipe() throws Exception {
        assertThat(output(SpawnSpec.builder("/bin/echo", "hello").environment(ENV))).isEqualTo("hello\n");
    }

    @Test
    void awaitExitOrReadableReportsOutputWhileTheChildRunsAndTheExitAfter() throws Exception {
        try (Pipe out = Pipe.fromChild("stdout");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "printf x; exec sleep 30")
                        .environment(ENV).stdout(Stdio.pipe(out)).build())) {
            ExitOrReadable running = child.awaitExitOrReadable(patience(), out.parentEnd());
            assertThat(running.exited()).as("exited while running").isFalse();
            assertThat(running.readable(0)).as("output readable").isTrue();
            assertThat(out.parentEnd().readAvailable(new byte[8], 0, 8)).isEqualTo(1);
            child.signal(Signals.SIGKILL);
            assertThat(child.awaitExitOrReadable(patience()).exited()).as("exited").isTrue();
            assertThat(child.exitStatus()).contains(ExitStatus.signaled(Signals.SIGKILL));
            ExitOrReadable after = child.awaitExitOrReadable(patience(), out.parentEnd());
            assertThat(after.exited()).as("exited before the call").isTrue();
            assertThat(after.readable(0)).as("not looked at after the exit").isFalse();
        }
    }

    @Test
    void awaitExitOrReadableReportsNeitherWhenTheDeadlinePassesFirst() throws Exception {
        try (Pipe out = Pipe.fromChild("stdout");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "exec sleep 30")
                        .environment(ENV).stdout(Stdio.pipe(out)).build())) {
            ExitOrReadable quiet = child.awaitExitOrReadable(Deadline.after(Duration.ofMillis(50)), out.parentEnd());

            assertThat(quiet.timedOut()).as(quiet.toString()).isTrue();
            assertThat(quiet.exited()).isFalse();
            assertThat(quiet.readable(0)).isFalse();
            child.signal(Signals.SIGKILL);
            child.waitFor(patience());
        }
    }

    @Test
    void stderrArrivesOnItsOwnPipe() throws Exception {
        try (Pipe out = Pipe.fromChild("stdout"); Pipe err = Pipe.fromChild("stderr");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "echo out; echo err >&2")
                        .stdout(Stdio.pipe(out)).stderr(Stdio.pipe(err)).build())) {
            assertThat(readAllText(out.parentEnd())).isEqualTo("out\n");
            assertThat(readAllText(err.parentEnd())).isEqualTo("err\n");
            assertThat(child.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
        }
    }

    @Test
    void stdoutAndStderrMayShareOnePipe() throws Exception {
        try (Pipe both = Pipe.fromChild("output");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "echo out; echo err >&2")
                        .stdout(Stdio.pipe(both)).stderr(Stdio.pipe(both)).build())) {
            assertThat(readAllText(both.parentEnd())).isEqualTo("out\nerr\n");
            assertThat(child.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
        }
    }

    @Test
    void megabytesThroughCatArriveIntact() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        try (Pipe in = Pipe.toChild("stdin"); Pipe out = Pipe.fromChild("stdout");
                ChildProcess cat = ChildProcess.spawn(SpawnSpec.builder("/bin/cat")
                        .stdin(Stdio.pipe(in)).stdout(Stdio.pipe(out)).build());
                ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            // Both directions at once: cat blocks on a full stdout pipe while we would block writing.
            Future<?> writer = virtual.submit(() -> {
                in.parentEnd().write(data, 0, data.length, patience());
                in.parentEnd().close();
                return null;
            });
            Future<byte[]> reader = virtual.submit(() -> readAll(out.parentEnd()));
            byte[] back = reader.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            writer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(back.length).isEqualTo(data.length);
            assertThat(sha256(back)).isEqualTo(sha256(data));
            assertThat(cat.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void exitCodeIsReported() throws Exception {
        try (ChildProcess three = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "exit 3").build());
                ChildProcess zero = ChildProcess.spawn(SpawnSpec.builder("/bin/true").build())) {
            ExitStatus status = three.waitFor(patience());
            assertThat(status).isEqualTo(ExitStatus.exited(3));
            assertThat(status.shellCode()).isEqualTo(3);
            assertThat(zero.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
        }
    }

    @Test
    void killedChildIsSignaledWithShellCode137AndCannotBeSignalledAfterReaping() throws Exception {
        try (ChildProcess sleep = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30").build())) {
            assertThat(sleep.signal(Signals.SIGKILL)).isTrue();
            ExitStatus status = sleep.waitFor(patience());
            assertThat(status).isEqualTo(ExitStatus.signaled(Signals.SIGKILL));
            assertThat(status.shellCode()).isEqualTo(137);
            assertThat(sleep.signal(Signals.SIGTERM)).isFalse();
        }
    }

    @Test
    void nullDeviceStdinIsAtEndOfStreamAtOnce() throws Exception {
        // cat would wait for input forever on anything else.
        assertThat(output(SpawnSpec.builder("/bin/cat").stdin(Stdio.nullDevice()))).isEmpty();
    }

    @Test
    void missingProgramIsNotFoundWithShellCode127() {
        assertThatThrownBy(() -> ChildProcess.spawn(SpawnSpec.builder("/nonexistent/prog").build()))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.shellCode()).isEqualTo(127);
                    assertThat(e.program()).isEqualTo("/nonexistent/prog");
                })
                .hasMessage("exec /nonexistent/prog: ENOENT (No such file or directory)");
    }

    @Test
    void fileWithoutExecutePermissionIsNotExecutableWithShellCode126() throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho never\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ChildProcess.spawn(SpawnSpec.builder(script.toString()).build()))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EACCES);
                    assertThat(e.shellCode()).isEqualTo(126);
                })
                .hasMessageContaining(script.toString());
    }

    @Test
    void childStartsInTheWorkingDirectory() throws Exception {
        String pwd = output(SpawnSpec.builder("/bin/pwd", "-P").workingDirectory(dir));
        assertThat(pwd).isEqualTo(dir.toRealPath() + "\n");
    }

    @Test
    void missingWorkingDirectoryIsReportedByName() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ChildProcess.spawn(SpawnSpec.builder("/bin/true").workingDirectory(missing).build()))
                .isInstanceOf(ErrnoException.class)
                .isNotInstanceOf(SpawnException.class)
                .hasMessage("chdir " + missing + ": ENOENT (No such file or directory)");
    }

    @Test
    void environmentIsExactlyWhatWasGiven() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("B", "two words");
        env.put("EMPTY", "");
        assertThat(output(SpawnSpec.builder("/usr/bin/env").environment(env))).isEqualTo("A=1\nB=two words\nEMPTY=\n");
    }

    @Test
    void childLeadsANewProcessGroupInOurSession() throws Exception {
        try (ChildProcess sleep = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30").build())) {
            ProcStat stat = ProcStat.of(sleep.pid());
            assertThat(stat.pgrp()).as("pgrp").isEqualTo(sleep.pid()).isEqualTo(sleep.processGroup());
            assertThat(stat.session()).as("session").isEqualTo(ProcStat.of((int) ProcessHandle.current().pid()).session());
            sleep.signal(Signals.SIGKILL);
            sleep.waitFor(patience());
        }
    }

    @Test
    void newSessionChildLeadsItsSession() throws Exception {
        try (ChildProcess sleep = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30")
                .group(SpawnSpec.Group.NEW_SESSION).build())) {
            ProcStat stat = ProcStat.of(sleep.pid());
            assertThat(stat.pgrp()).as("pgrp").isEqualTo(sleep.pid());
            assertThat(stat.session()).as("session").isEqualTo(sleep.pid());
            sleep.signal(Signals.SIGKILL);
            sleep.waitFor(patience());
        }
    }

    @Test
    void signalGroupReachesGrandchildren() throws Exception {
        try (Pipe out = Pipe.fromChild("stdout");
                ChildProcess sh = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "/bin/sleep 30 & echo $!; wait")
                        .stdout(Stdio.pipe(out)).build())) {
            String line = ProcessTesting.readUntil(out.parentEnd(), "\n");
            int grandchild = Integer.parseInt(line.strip());
            assertThat(ProcStat.of(grandchild).pgrp()).as("grandchild's group").isEqualTo(sh.pid());

            assertThat(sh.signalGroup(Signals.SIGTERM)).isTrue();

            assertThat(sh.waitFor(patience())).isEqualTo(ExitStatus.signaled(Signals.SIGTERM));
            // The grandchild holds the pipe too: end of stream means it is gone as well.
            assertThat(readAll(out.parentEnd())).isEmpty();
            assertThat(awaitDead(grandchild)).isTrue();
        }
    }

    @Test
    void childStartsWithDefaultSignalsAndNothingBlockedWhateverTheJvmThreadHas() throws Throwable {
        try (HostileSignals hostile = HostileSignals.ignoreAndBlock(Signals.SIGINT, Signals.SIGWINCH)) {
            // The precondition, so that this test can fail: this thread really has them.
            String mine = Files.readString(Path.of("/proc/thread-self/status"));
            assertThat(mask(mine, "SigIgn") & (1L << (Signals.SIGINT - 1))).isNotZero();
            assertThat(mask(mine, "SigBlk") & (1L << (Signals.SIGWINCH - 1))).isNotZero();

            String child = output(SpawnSpec.builder("/bin/grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status"));
            assertThat(child).isEqualTo("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
        }
    }

    private static long mask(String status, String field) {
        return status.lines().filter(l -> l.startsWith(field + ":"))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring(field.length() + 1).strip(), 16))
                .findFirst().orElseThrow();
    }

    @Test
    void childInheritsNoDescriptorBeyondStdio() throws Exception {
        assumeTrue(PosixSpawn.canCloseFrom(), "libc without posix_spawn_file_actions_addclosefrom_np");
        int leaked = Libc.open("/dev/null", Libc.O_RDONLY, 0); // deliberately without O_CLOEXEC
        assertThat(leaked).isGreaterThan(2);
        try {
            // ls itself opens the directory as descriptor 3.
            assertThat(output(SpawnSpec.builder("/bin/ls", "/proc/self/fd"))).isEqualTo("0\n1\n2\n3\n");
        } finally {
            Libc.close(leaked);
        }
    }

    @Test
    void waitForTimesOutWhileTheChildKeepsRunning() throws Exception {
        try (ChildProcess sleep = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30").build())) {
            assertThatThrownBy(() -> sleep.waitFor(Deadline.after(Duration.ofMillis(50))))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("wait for process " + sleep.pid());
            assertThat(sleep.exitStatus()).isEmpty();
            assertThat(ProcStat.of(sleep.pid()).isZombie()).isFalse();
            sleep.signal(Signals.SIGKILL);
            assertThat(sleep.waitFor(patience())).isEqualTo(ExitStatus.signaled(Signals.SIGKILL));
        }
    }

    @Test
    void concurrentWaitersWithDifferentDeadlinesAllGetTheOneStatus() throws Exception {
        try (ChildProcess sleep = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30").build());
                ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ExitStatus>> patient = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                patient.add(virtual.submit(() -> sleep.waitFor(Deadline.none())));
            }
            // Whether it waited on the pidfd or behind another waiter, a short deadline expires alone.
            assertThatThrownBy(() -> sleep.waitFor(Deadline.after(Duration.ofMillis(20))))
                    .isInstanceOf(SocketTimeoutException.class);
            sleep.signal(Signals.SIGKILL);
            for (Future<ExitStatus> waiter : patient) {
                assertThat(waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                        .isEqualTo(ExitStatus.signaled(Signals.SIGKILL));
            }
            assertThat(sleep.waitFor(Deadline.none())).isEqualTo(ExitStatus.signaled(Signals.SIGKILL));
        }
    }

    @Test
    void closeReapsAChildThatHasExited() throws Exception {
        ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/true").build());
        assertThat(awaitDead(child.pid())).isTrue();
        assertThat(zombieChildren()).contains(child.pid());
        child.close();
        assertThat(zombieChildren()).doesNotContain(child.pid());
    }

    @Test
    void twoHundredSpawnsLeaveNoZombie() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/true").build())) {
                assertThat(child.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
            }
        }
        assertThat(zombieChildren()).isEmpty();
    }

    @Test
    void hundredConcurrentSpawnsOnVirtualThreadsAreDistinctAndAllReaped() throws Exception {
        List<Future<Integer>> pids = new ArrayList<>();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                int code = i;
                pids.add(virtual.submit(() -> {
                    try (ChildProcess child = ChildProcess.spawn(
                            SpawnSpec.builder("/bin/sh", "-c", "exit " + code).build())) {
                        assertThat(child.waitFor(patience())).isEqualTo(ExitStatus.exited(code));
                        return child.pid();
                    }
                }));
            }
        }
        Set<Integer> distinct = new HashSet<>();
        for (Future<Integer> pid : pids) {
            distinct.add(pid.get());
        }
        assertThat(distinct).hasSize(100);
        assertThat(zombieChildren()).isEmpty();
    }

    @Test
    void aPipeEndGoesToOneChildOnly() throws Exception {
        try (Pipe out = Pipe.fromChild("stdout");
                ChildProcess first = ChildProcess.spawn(
                        SpawnSpec.builder("/bin/true").stdout(Stdio.pipe(out)).build())) {
            SpawnSpec second = SpawnSpec.builder("/bin/true").stdout(Stdio.pipe(out)).build();
            assertThatThrownBy(() -> ChildProcess.spawn(second))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already given");
            first.waitFor(patience());
        }
    }

    @Test
    void childGetsBlockingPipeEndsWhileOursAreNonBlocking() throws Exception {
        try (Pipe in = Pipe.toChild("stdin"); Pipe out = Pipe.fromChild("stdout");
                ChildProcess sleep = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30")
                        .stdin(Stdio.pipe(in)).stdout(Stdio.pipe(out)).build())) {
            for (Pipe pipe : List.of(in, out)) {
                int ours = pipe.parentEnd().withFd(fd -> Libc.fcntl(fd, Libc.F_GETFL, 0));
                assertThat(ours & Libc.O_NONBLOCK).as("our end of " + pipe).isNotZero();
            }
            assertThat(childFlags(sleep.pid(), 0) & Libc.O_NONBLOCK).as("child's stdin").isZero();
            assertThat(childFlags(sleep.pid(), 1) & Libc.O_NONBLOCK).as("child's stdout").isZero();
            sleep.signal(Signals.SIGKILL);
            sleep.waitFor(patience());
        }
    }

    /** The open flags of descriptor {@code fd} in process {@code pid}, from /proc/PID/fdinfo (octal). */
    private static int childFlags(int pid, int fd) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "fdinfo", String.valueOf(fd))).stream()
                .filter(l -> l.startsWith("flags:"))
                .mapToInt(l -> Integer.parseInt(l.substring(6).strip(), 8))
                .findFirst().orElseThrow();
    }
}
