package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMountTest {
    @Test
    void theCgroup2MountIsFoundBesideVersionOneControllers() {
        List<String> mountinfo = List.of(
                "25 24 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "26 25 0:23 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "34 25 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

        assertThat(CgroupMount.find(mountinfo)).isEqualTo(new CgroupMount.Mount("/", Path.of("/sys/fs/cgroup/unified"),
                List.of("rw", "relatime"), List.of("rw")));
        assertThat(CgroupMount.find(mountinfo.subList(0, 2))).isNull();
    }

    @Test
    void optionalFieldsAndEscapedSpacesAreRead() {
        List<String> mountinfo = List.of("40 30 0:40 /ns\\040root /mnt/my\\040cgroups rw shared:5 - cgroup2 none rw");

        assertThat(CgroupMount.find(mountinfo)).isEqualTo(new CgroupMount.Mount("/ns root", Path.of("/mnt/my cgroups"),
                List.of("rw"), List.of("rw")));
    }

    @Test
    void theMountFlagsAndTheSuperBlockOptionsAreReadApart() {
        List<String> mountinfo = List.of("30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 master:1"
                + " - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");

        CgroupMount.Mount mount = CgroupMount.find(mountinfo);

        assertThat(mount.options()).containsExactly("rw", "nosuid", "nodev", "noexec", "relatime");
        assertThat(mount.superOptions()).containsExactly("rw", "nsdelegate", "memory_recursiveprot");
    }

    @Test
    void aProcessCgroupIsADirectoryBelowTheMountOfItsRoot() throws IOException {
        CgroupMount.Mount root = new CgroupMount.Mount("/", Path.of("/sys/fs/cgroup"), List.of(), List.of());
        CgroupMount.Mount delegated = new CgroupMount.Mount("/system.slice", Path.of("/cg"), List.of(), List.of());

        assertThat(root.directoryOf("/")).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(root.directoryOf("/system.slice/agent.service")).isEqualTo(Path.of("/sys/fs/cgroup/system.slice/agent.service"));
        assertThat(delegated.directoryOf("/system.slice/agent.service")).isEqualTo(Path.of("/cg/agent.service"));
        assertThatThrownBy(() -> delegated.directoryOf("/user.slice")).hasMessageContaining("outside the cgroup2 mount");
    }

    @Test
    void theVersionTwoPathIsTheZeroLine() throws IOException {
        assertThat(CgroupMount.ownPath(List.of("4:memory:/x", "0::/a/b"))).isEqualTo("/a/b");
        assertThatThrownBy(() -> CgroupMount.ownPath(List.of("4:memory:/x"))).hasMessageContaining("no 0:: line");
    }
}
