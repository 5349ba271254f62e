package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.MountFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The remount that gives a cgroup2 mount {@code favordynmods} and keeps the rest, worked out from mountinfo. */
class FavorDynmodsTest {
    private static CgroupMount.Mount mount(String line) {
        return CgroupMount.find(List.of(line));
    }

    @Test
    void theSuperBlockOptionsAreGivenBackWithFavordynmods() {
        CgroupMount.Mount m = mount("30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4"
                + " - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");

        FavorDynmods.Remount r = FavorDynmods.remountOf(m).orElseThrow();

        assertThat(r.target()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(r.options()).isEqualTo("nsdelegate,memory_recursiveprot,favordynmods");
    }

    @Test
    void theMountsFlagsAreGivenBackAsFlags() {
        CgroupMount.Mount m = mount("30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4"
                + " - cgroup2 cgroup2 rw,nsdelegate");

        assertThat(FavorDynmods.remountOf(m).orElseThrow().flags())
                .containsExactlyInAnyOrder(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC, MountFlag.RELATIME);
    }

    @Test
    void aReadOnlyMountStaysReadOnly() {
        FavorDynmods.Remount mountRo = FavorDynmods.remountOf(
                mount("41 31 0:38 / /sys/fs/cgroup ro,nosuid,nodev,noexec,noatime - cgroup2 cgroup2 rw")).orElseThrow();
        FavorDynmods.Remount superRo = FavorDynmods.remountOf(
                mount("41 31 0:38 / /sys/fs/cgroup rw,nodiratime - cgroup2 cgroup2 ro,memory_localevents")).orElseThrow();

        assertThat(mountRo.flags()).containsExactlyInAnyOrder(MountFlag.RDONLY, MountFlag.NOSUID, MountFlag.NODEV,
                MountFlag.NOEXEC, MountFlag.NOATIME);
        assertThat(mountRo.options()).isEqualTo("favordynmods");
        assertThat(superRo.flags()).containsExactlyInAnyOrder(MountFlag.RDONLY, MountFlag.NODIRATIME);
        assertThat(superRo.options()).isEqualTo("memory_localevents,favordynmods");
    }

    @Test
    void anEscapedMountPointIsRemountedByItsRealPath() {
        CgroupMount.Mount m = mount("40 30 0:40 / /mnt/my\\040cgroups rw,relatime shared:5 - cgroup2 none rw");

        FavorDynmods.Remount r = FavorDynmods.remountOf(m).orElseThrow();

        assertThat(r.target()).isEqualTo(Path.of("/mnt/my cgroups"));
        assertThat(r.flags()).containsExactly(MountFlag.RELATIME);
        assertThat(r.options()).isEqualTo("favordynmods");
    }

    @Test
    void aMountThatHasItIsLeftAlone() {
        assertThat(FavorDynmods.remountOf(mount("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime"
                + " - cgroup2 cgroup2 rw,nsdelegate,favordynmods"))).isEmpty();
    }

    @Test
    void theFlagsAreNamedAsMountinfoShowsThem() {
        assertThat(MountFlag.ofOption("nosuid")).contains(MountFlag.NOSUID);
        assertThat(MountFlag.ofOption("rw")).isEmpty();
        assertThat(MountFlag.ofOption("shared:4")).isEmpty();
        assertThat(Set.of(MountFlag.values())).allSatisfy(f -> assertThat(MountFlag.ofOption(f.option())).contains(f));
    }

    @Test
    void aRefusedRemountIsSaidOnceAndTheAgentCarriesOn() {
        List<String> lines = new ArrayList<>();
        CgroupMount.Mount m = mount("40 30 0:40 / /nonexistent/cgroup rw,relatime - cgroup2 none rw");

        FavorDynmods.ensure(m, Log.to("agent", lines::add));

        assertThat(lines).singleElement().asString()
                .contains("could not remount /nonexistent/cgroup with favordynmods (remount /nonexistent/cgroup: E")
                .contains("may wait for an RCU grace period");
    }
}
