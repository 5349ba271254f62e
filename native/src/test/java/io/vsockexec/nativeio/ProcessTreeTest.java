package io.vsockexec.nativeio;

import static io.vsockexec.nativeio.ProcessTesting.ENV;
import static io.vsockexec.nativeio.ProcessTesting.patience;
import static io.vsockexec.nativeio.ProcessTesting.readUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    @Test
    void descendantsAreFoundThroughEveryGenerationAndSignalledOnlyWhileTheyAreThemselves() throws Exception {
        // A child that leaves its session and group, with a child of its own.
        String script = "setsid sh -c 'sleep 30 & echo grandchild=$!; wait' & echo child=$!; wait";
        try (Pipe out = Pipe.fromChild("stdout");
                ChildProcess sh = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", script)
                        .environment(ENV).stdout(Stdio.pipe(out)).build())) {
            String text = "";
            while (text.lines().filter(l -> l.matches("(grand)?child=[0-9]+")).count() < 2 || !text.endsWith("\n")) {
                text += readUntil(out.parentEnd(), "\n");
            }
            int child = Integer.parseInt(text.replaceAll("(?s).*child=([0-9]+).*", "$1"));
            int grandchild = Integer.parseInt(text.replaceAll("(?s).*grandchild=([0-9]+).*", "$1"));

            List<ProcessTree.ProcessId> below = ProcessTree.descendantsOf(sh.pid());

            assertThat(below).extracting(ProcessTree.ProcessId::pid).contains(child, grandchild);
            ProcessTree.ProcessId g = below.stream().filter(p -> p.pid() == grandchild).findFirst().orElseThrow();
            assertThat(g.startTime()).isEqualTo(ProcessTree.startTime(grandchild)).isPositive();
            assertThat(ProcessTree.signal(grandchild, g.startTime() + 1, Signals.SIGKILL)).as("another process").isFalse();
            for (ProcessTree.ProcessId p : below) {
                assertThat(ProcessTree.signal(p.pid(), p.startTime(), Signals.SIGKILL)).isTrue();
            }
            sh.waitFor(patience());
        }
    }
}
