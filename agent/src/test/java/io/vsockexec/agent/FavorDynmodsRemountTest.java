package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.MountFlag;
import io.vsockexec.nativeio.Mounts;
import io.vsockexec.nativeio.Users;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As root, on this machine's cgroup2 hierarchy: the remount that adds {@code favordynmods}, made
 * for real on a second mount of the hierarchy whose flags the test sets, and an agent's
 * containment opening. The hierarchy's options are shared by every mount of it: every mount and
 * remount here gives it back the options it had, with {@code favordynmods}, which an agent started
 * here would set anyway.
 */
class FavorDynmodsRemountTest {
    @TempDir
    Path dir;

    private CgroupMount.Mount system;

    @BeforeEach
    void rootWithCgroup2() throws IOException {
        assumeTrue(Users.effectiveUid() == 0, "remounting needs root");
        system = CgroupMount.find(CgroupMount.mountinfo());
        assumeTrue(system != null, "no cgroup2 mount");
    }

    @Test
    void theRemountAddsFavordynmodsAndKeepsTheMountsFlagsAndOptions() throws Exception {
        String options = FavorDynmods.optionsWith(system.superOptions());
        Mounts.mountCgroup2(dir, options);
        try {
            Mounts.remount(dir, EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), options);
            CgroupMount.Mount before = at(dir);
            List<String> withoutIt = new ArrayList<>(before.superOptions());
            withoutIt.remove(FavorDynmods.OPTION);
            CgroupMount.Mount seenWithout = new CgroupMount.Mount(before.root(), dir, before.options(), withoutIt);

            FavorDynmods.apply(FavorDynmods.remountOf(seenWithout).orElseThrow());

            CgroupMount.Mount after = at(dir);
            assertThat(after.options()).contains("nosuid", "nodev", "noexec").containsExactlyElementsOf(before.options());
            assertThat(after.superOptions()).contains(FavorDynmods.OPTION)
                    .containsExactlyInAnyOrderElementsOf(before.superOptions());
        } finally {
            restoreFavordynmods();
            unmount(dir);
        }
    }

    @Test
    void anAgentWithCgroupsLeavesTheHierarchyWithFavordynmods() throws IOException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Log log = Log.to("agent", lines::add);
        boolean debug = Log.debugEnabled();
        Log.enableDebug(true);
        try {
            ProcessContainment containment = ProcessContainment.open(AgentConfig.builder().log(log).build(), log);
            containment.shutdown();
        } finally {
            Log.enableDebug(debug);
        }

        assertThat(CgroupMount.find(CgroupMount.mountinfo()).superOptions()).contains(FavorDynmods.OPTION);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(system.point() + " ").contains("with favordynmods"));
    }

    @Test
    void anAgentToldToKeepTheMountSaysNothingOfIt() {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Log log = Log.to("agent", lines::add);
        boolean debug = Log.debugEnabled();
        Log.enableDebug(true);
        try {
            ProcessContainment containment = ProcessContainment.open(
                    AgentConfig.builder().favorDynmods(false).log(log).build(), log);
            containment.shutdown();
        } finally {
            Log.enableDebug(debug);
        }

        assertThat(lines).isNotEmpty().noneSatisfy(l -> assertThat(l).contains(FavorDynmods.OPTION));
    }

    private static CgroupMount.Mount at(Path point) throws IOException {
        for (String line : CgroupMount.mountinfo()) {
            CgroupMount.Mount m = CgroupMount.find(List.of(line));
            if (m != null && m.point().equals(point)) {
                return m;
            }
        }
        throw new AssertionError("no cgroup2 mount at " + point);
    }

    /**
     * Should a broken remount have turned the option off for the whole machine, turns it back on,
     * through util-linux's mount rather than the code under test.
     */
    private void restoreFavordynmods() throws IOException, InterruptedException {
        if (system.superOptions().contains(FavorDynmods.OPTION)
                && !at(system.point()).superOptions().contains(FavorDynmods.OPTION)) {
            run("mount", "-o", "remount,favordynmods", system.point().toString());
        }
    }

    private static void unmount(Path point) throws IOException, InterruptedException {
        run("umount", point.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }
}
