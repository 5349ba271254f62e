package io.vsockexec.nativeio;

import static io.vsockexec.nativeio.ProcessTesting.awaitDead;
import static io.vsockexec.nativeio.ProcessTesting.patience;
import static io.vsockexec.nativeio.ProcessTesting.zombieChildren;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.ProcStat;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * This JVM is a child subreaper only while each test runs, so that grandchildren orphaned by
 * other tests still go to PID 1.
 */
class OrphanReaperTest {

    @BeforeEach
    void becomeSubreaper() throws ErrnoException {
        OrphanReaper.setChildSubreaper(true);
    }

    @AfterEach
    void stopBeingSubreaper() throws IOException {
        OrphanReaper.setChildSubreaper(false);
        OrphanReaper.reapOrphans();
    }

    @Test
    void subreaperFlagCanBeReadBack() throws ErrnoException {
        assertThat(OrphanReaper.isChildSubreaper()).isTrue();
        OrphanReaper.setChildSubreaper(false);
        assertThat(OrphanReaper.isChildSubreaper()).isFalse();
    }

    @Test
    void orphanedGrandchildIsReapedAndLeavesNoZombie() throws Exception {
        List<Integer> orphans = orphanAGrandchild();
        assertThat(orphans).as("the orphan became our zombie child").hasSize(1);

        assertThat(OrphanReaper.reapOrphans()).isEqualTo(1);

        assertThat(zombieChildren()).isEmpty();
    }

    @Test
    void trackedChildIsLeftToItsOwnerWhileOrphansAreReaped() throws Exception {
        try (ChildProcess tracked = ChildProcess.spawn(SpawnSpec.builder("/bin/true").build())) {
            assertThat(awaitDead(tracked.pid())).isTrue();
            List<Integer> orphans = orphanAGrandchild();
            assertThat(orphans).hasSize(1);

            assertThat(OrphanReaper.reapOrphans()).isEqualTo(1);

            assertThat(zombieChildren()).containsExactly(tracked.pid());
            assertThat(ProcStat.of(tracked.pid()).isZombie()).isTrue();
            assertThat(tracked.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
        }
        assertThat(zombieChildren()).isEmpty();
    }

    /** A shell that backgrounds a short sleep and exits: the sleep becomes our child, then our zombie. */
    private static List<Integer> orphanAGrandchild() throws IOException, InterruptedException {
        List<Integer> before = zombieChildren();
        SpawnSpec orphaning = SpawnSpec.builder("/bin/sh", "-c", "/bin/sleep 0.1 & exit 0").build();
        try (ChildProcess sh = ChildProcess.spawn(orphaning)) {
            assertThat(sh.waitFor(patience())).isEqualTo(ExitStatus.exited(0));
        }
        Deadline deadline = patience();
        while (!deadline.hasPassed()) {
            List<Integer> orphans = zombieChildren().stream().filter(pid -> !before.contains(pid)).toList();
            if (!orphans.isEmpty()) {
                return orphans;
            }
            Thread.sleep(10);
        }
        return List.of();
    }
}
