package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.base.Deadline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child spawned into a cgroup ends up in it with everything it started, even what it forked
 * before it was moved in; the spawning process stays in its own cgroup (a leaf of its own, as the
 * agent's), and a spawn without a cgroup meanwhile starts and stays there. Needs root and a cgroup2
 * mount; skipped elsewhere.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpawnCgroupTest {
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** Enough spawns that a background job forked before its shell was moved in (on a busy machine) shows. */
    private static final int SPAWNS = 50;
    /** A shell that starts a background job and exits at once, leaving the job to its cgroup alone. */
    private static final String[] BACKGROUND_JOB = {"/bin/sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $!"};

    private static Path mount;
    /** The cgroup this test process started in, found once. */
    private static Path started;
    private Path base;
    private Path leaf;
    private Path cgroup;
    private SpawnCgroup home;

    @BeforeEach
    void createCgroups() throws IOException {
        assumeTrue(Users.effectiveUid() == 0, "needs root to create a cgroup");
        assumeTrue(startedDirectory() != null, "no cgroup2 mount here");
        base = Files.createDirectory(started.resolve("vsockexec-spawn-test-" + ProcessHandle.current().pid() + "-"
                + COUNT.incrementAndGet()));
        leaf = Files.createDirectory(base.resolve("leaf"));
        cgroup = Files.createDirectory(base.resolve("session"));
        SpawnCgroup.moveThisProcess(leaf);
        home = SpawnCgroup.ofThisProcess(leaf);
    }

    @AfterEach
    void removeCgroups() throws Exception {
        if (base == null) {
            return;
        }
        home.close();
        SpawnCgroup.moveThisProcess(started);
        Files.writeString(base.resolve("cgroup.kill"), "1");
        Deadline deadline = ProcessTesting.patience();
        while (!Files.readString(base.resolve("cgroup.events")).contains("populated 0") && !deadline.hasPassed()) {
            LockSupport.parkNanos(5_000_000);
        }
        Files.delete(cgroup);
        Files.delete(leaf);
        Files.delete(base);
    }

    @Test
    void aBackgroundJobForkedBeforeItsShellWasMovedInIsMovedInToo() throws Exception {
        try (SpawnCgroup target = home.open(cgroup)) {
            int[] residents = target.residents();
            // Spawned without a cgroup, both are born in the leaf, as a command is: the shell stands
            // for one that forked and exited before the spawning thread ran again.
            ChildProcess command = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "1000")
                    .environment(ProcessTesting.ENV).build());
            try {
                int job = backgroundJob(null);
                assertThat(cgroupOf(job)).as("the job before the sweep").isEqualTo(cgroupPath(leaf));
                target.moveIn(command.pid(), residents);
                assertThat(cgroupOf(command.pid())).as("the command").isEqualTo(cgroupPath(cgroup));
                assertThat(cgroupOf(job)).as("its background job").isEqualTo(cgroupPath(cgroup));
            } finally {
                ended(command);
            }
        }
    }

    @Test
    void whatWasInTheLeafBeforeTheSpawnStaysThere() throws Exception {
        ChildProcess resident = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "1000")
                .environment(ProcessTesting.ENV).build());
        try (SpawnCgroup target = home.open(cgroup)) {
            backgroundJob(target);
            assertThat(cgroupOf(resident.pid())).isEqualTo(cgroupPath(leaf));
        } finally {
            ended(resident);
        }
    }

    @Test
    void everyBackgroundJobOfACommandSpawnedIntoACgroupIsInIt() throws Exception {
        try (SpawnCgroup target = home.open(cgroup)) {
            for (int i = 0; i < SPAWNS; i++) {
                assertThat(cgroupOf(backgroundJob(target))).as("spawn " + i).isEqualTo(cgroupPath(cgroup));
            }
        }
        assertThat(cgroupOf((int) ProcessHandle.current().pid())).as("the spawning process").isEqualTo(cgroupPath(leaf));
    }

    @Test
    void aSpawnWithoutACgroupNeverEndsUpInAnotherSpawnsCgroup() throws Exception {
        String own = cgroupPath(leaf);
        try (SpawnCgroup target = home.open(cgroup)) {
            CompletableFuture<Void> away = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < SPAWNS; i++) {
                        cgroupSeenBy(target);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            List<String> seen = new ArrayList<>();
            while (!away.isDone()) {
                seen.add(cgroupSeenBy(null));
            }
            away.join();
            assertThat(seen).isNotEmpty().allMatch(own::equals);
        }
    }

    @Test
    void aClosedCgroupRefusesTheSpawnAndNamesItself() throws Exception {
        SpawnCgroup target = home.open(cgroup);
        target.close();
        assertThatThrownBy(() -> ChildProcess.spawn(SpawnSpec.builder("/bin/true").cgroup(target).build()))
                .isInstanceOf(ErrnoException.class).hasMessageContaining(cgroup.toString());
    }

    @Test
    void aCgroupThatCannotBeOpenedIsNamed() {
        Path missing = cgroup.resolve("missing");
        assertThatThrownBy(() -> home.open(missing)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> SpawnCgroup.ofThisProcess(missing)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining(missing.toString());
    }

    /** Kills and reaps a child of this test, which must leave no zombie behind (ChildProcessTest counts them). */
    private static void ended(ChildProcess child) throws IOException {
        try (child) {
            child.signal(Signals.SIGKILL);
            child.waitFor(ProcessTesting.patience());
        }
    }

    /** Runs {@link #BACKGROUND_JOB} spawned into {@code target} (null: none) to its end; the job's pid. */
    private static int backgroundJob(SpawnCgroup target) throws IOException {
        return Integer.parseInt(output(SpawnSpec.builder(BACKGROUND_JOB), target).strip());
    }

    /** What {@code cat /proc/self/cgroup} spawned into {@code target} (null: none) prints as its cgroup v2. */
    private static String cgroupSeenBy(SpawnCgroup target) throws IOException {
        String text = output(SpawnSpec.builder("/bin/cat", "/proc/self/cgroup"), target);
        return text.lines().filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
    }

    private static String output(SpawnSpec.Builder spec, SpawnCgroup target) throws IOException {
        Pipe out = Pipe.fromChild("stdout");
        try (ChildProcess child = ChildProcess.spawn(spec.environment(ProcessTesting.ENV).stdout(Stdio.pipe(out))
                .cgroup(target).build())) {
            String text = ProcessTesting.readAllText(out.parentEnd());
            child.waitFor(ProcessTesting.patience());
            return text;
        } finally {
            out.close();
        }
    }

    private static String cgroupOf(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup"))) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        throw new AssertionError("process " + pid + " has no cgroup v2");
    }

    /** The path of {@code dir} as /proc/PID/cgroup shows it: below the cgroup2 mount. */
    private static String cgroupPath(Path dir) {
        return "/" + mount.relativize(dir);
    }

    /** The cgroup v2 directory this process started in, or null without a cgroup2 mount of the whole hierarchy. */
    private static synchronized Path startedDirectory() throws IOException {
        if (started != null || mount != null) {
            return started;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (line.contains(" - cgroup2 ") && fields[3].equals("/")) {
                mount = Path.of(fields[4]);
                String own = cgroupOf((int) ProcessHandle.current().pid());
                started = own.equals("/") ? mount : mount.resolve(own.substring(1));
                return started;
            }
        }
        return null;
    }
}
