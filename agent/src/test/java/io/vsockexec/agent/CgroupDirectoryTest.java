package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a cgroup's {@code cgroup.events} is read for whether anyone is left in it. */
class CgroupDirectoryTest {
    @Test
    void aCgroupWithALiveProcessIsPopulated() {
        assertThat(CgroupDirectory.populated("populated 1\nfrozen 0\n")).isTrue();
    }

    @Test
    void anEmptiedCgroupIsNotPopulated() {
        assertThat(CgroupDirectory.populated("populated 0\nfrozen 0\n")).isFalse();
    }

    @Test
    void thePopulatedLineCountsWhereverItIsListed() {
        assertThat(CgroupDirectory.populated("frozen 0\npopulated 1\n")).isTrue();
    }

    @Test
    void aDirectoryThatIsGoneIsNotPopulated(@TempDir Path dir) throws Exception {
        assertThat(new CgroupDirectory(dir.resolve("gone")).populated()).isFalse();
    }

    @Test
    void theEventsFileIsReadFromTheDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
        assertThat(new CgroupDirectory(dir).populated()).isTrue();
        Files.writeString(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
        assertThat(new CgroupDirectory(dir).populated()).isFalse();
    }
}
