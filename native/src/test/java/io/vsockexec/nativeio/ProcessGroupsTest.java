package io.vsockexec.nativeio;

import static io.vsockexec.nativeio.ProcessTesting.ENV;
import static io.vsockexec.nativeio.ProcessTesting.patience;
import static io.vsockexec.nativeio.ProcessTesting.readUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessGroupsTest {

    @Test
    void listsEveryGroupOfASessionAndSignalsEach() throws Exception {
        // set -m gives the background job a group of its own, as in an interactive shell.
        String script = "set -m; /bin/sleep 30 & echo job=$!; wait";
        try (Pty pty = Pty.open(24, 80);
                ChildProcess sh = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", script)
                        .environment(ENV).terminal(pty).build())) {
            String out = readUntil(pty.master(), "\r\n");
            int job = Integer.parseInt(out.substring(out.indexOf("job=") + 4).strip());

            List<Integer> groups = ProcessGroups.inSession(sh.pid());

            assertThat(groups).containsExactlyInAnyOrder(sh.pid(), job);
            for (int group : groups) {
                assertThat(ProcessGroups.signal(group, Signals.SIGKILL)).isTrue();
            }
            assertThat(sh.waitFor(patience())).isEqualTo(ExitStatus.signaled(Signals.SIGKILL));
        }
    }

    @Test
    void signallingAnEmptyGroupReportsFalse() throws Exception {
        ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/true").build());
        child.waitFor(patience());
        child.close();

        assertThat(ProcessGroups.signal(child.processGroup(), 0)).isFalse();
        assertThat(ProcessGroups.inSession(child.pid())).isEmpty();
        assertThat(ProcessGroups.hasLiveMember(child.processGroup())).isFalse();
    }

    @Test
    void aZombieIsNoLiveMemberOfItsGroup() throws Exception {
        try (ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "exit 0").build())) {
            // Exited but not reaped yet: a zombie, which signal 0 still finds.
            assertThat(ProcessTesting.awaitDead(child.pid())).isTrue();

            assertThat(ProcessGroups.signal(child.processGroup(), 0)).isTrue();
            assertThat(ProcessGroups.hasLiveMember(child.processGroup())).isFalse();
            child.waitFor(patience());
        }
    }

    @Test
    void aSleepingProcessIsALiveMember() throws Exception {
        try (ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sleep", "30").build())) {
            assertThat(ProcessGroups.hasLiveMember(child.processGroup())).isTrue();
            child.signal(Signals.SIGKILL);
            child.waitFor(patience());
        }
    }

    @Test
    void rejectsGroupsAndSignalsOutOfRange() {
        assertThatThrownBy(() -> ProcessGroups.signal(0, Signals.SIGTERM)).hasMessageContaining(": 0");
        assertThatThrownBy(() -> ProcessGroups.signal(-5, Signals.SIGTERM)).hasMessageContaining(": -5");
        assertThatThrownBy(() -> ProcessGroups.signal(1, 65)).hasMessageContaining(": 65");
    }
}
