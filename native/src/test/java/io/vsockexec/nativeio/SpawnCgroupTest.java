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
 * A child spawned into a cgroup is in it from its first instruction, the spawning process ends up
 * back in its own cgroup, and a spawn without a cgroup meanwhile starts in that own cgroup. Needs
 * root and a cgroup2 mount; skipped elsewhere.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpawnCgroupTest {
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** Enough spawns that a child started outside and moved in after (about one in ten on a busy machine) shows. */
    private static final int SPAWNS = 100;

    private static Path mount;
    private Path cgroup;
    private SpawnCgroup home;

    @BeforeEach
    void createCgroup() throws IOException {
        assumeTrue(Users.effectiveUid() == 0, "needs root to create a cgroup");
        Path own = ownCgroupDirectory();
        assumeTrue(own != null, "no cgroup2 mount here");
        home = SpawnCgroup.ofThisProcess(own);
        cgroup = Files.createDirectory(own.resolve("vsockexec-spawn-test-" + ProcessHandle.current().pid() + "-"
                + COUNT.incrementAndGet()));
    }

    @AfterEach
    void removeCgroup() throws Exception {
        if (cgroup == null) {
            return;
        }
        home.close();
        Files.writeString(cgroup.resolve("cgroup.kill"), "1");
        Deadline deadline = ProcessTesting.patience();
        while (!Files.readString(cgroup.resolve("cgroup.events")).contains("populated 0") && !deadline.hasPassed()) {
            LockSupport.parkNanos(5_000_000);
        }
        Files.delete(cgroup);
    }

    @Test
    void aChildReadsItsCgroupAsItsFirstActAndFindsItself() throws Exception {
        try (SpawnCgroup target = home.open(cgroup)) {
            for (int i = 0; i < SPAWNS; i++) {
                assertThat(cgroupSeenBy(target)).as("spawn " + i).isEqualTo(cgroupPath(cgroup));
            }
        }
        assertThat(cgroupOf((int) ProcessHandle.current().pid())).as("the spawning process").isEqualTo(
                cgroupPath(ownCgroupDirectory()));
    }

    @Test
    void aSpawnWithoutACgroupNeverStartsInAnotherSpawnsCgroup() throws Exception {
        String own = cgroupPath(ownCgroupDirectory());
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
    }

    /** What {@code cat /proc/self/cgroup} spawned into {@code target} (null: none) prints as its cgroup v2. */
    private static String cgroupSeenBy(SpawnCgroup target) throws IOException {
        Pipe out = Pipe.fromChild("stdout");
        try (ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/cat", "/proc/self/cgroup")
                .environment(ProcessTesting.ENV).stdout(Stdio.pipe(out)).cgroup(target).build())) {
            String text = ProcessTesting.readAllText(out.parentEnd());
            child.waitFor(ProcessTesting.patience());
            return text.lines().filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
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
        String below = mount.relativize(dir).toString();
        return "/" + below;
    }

    /** This process's cgroup v2 directory, or null without a cgroup2 mount of the whole hierarchy. */
    private static Path ownCgroupDirectory() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (line.contains(" - cgroup2 ") && fields[3].equals("/")) {
                mount = Path.of(fields[4]);
                String own = cgroupOf((int) ProcessHandle.current().pid());
                return own.equals("/") ? mount : mount.resolve(own.substring(1));
            }
        }
        return null;
    }
}
