package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpawnSpecTest {

    @Test
    void programMustBeAPathNotACommandName() {
        assertThatThrownBy(() -> SpawnSpec.builder("echo", "hi").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Programs.resolve")
                .hasMessageEndingWith(": echo");
    }

    @Test
    void emptyArgvIsRejected() {
        assertThatThrownBy(() -> SpawnSpec.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argv");
    }

    @Test
    void environmentNameWithEqualsSignIsRejectedByPositionNotByValue() {
        assertThatThrownBy(() -> SpawnSpec.builder("/bin/true").environment(Map.of("A=B", "c")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment key 0 is not a valid name");
    }

    @Test
    void argumentWithNulIsRejectedByPositionNotByValue() {
        assertThatThrownBy(() -> SpawnSpec.builder("/bin/echo", "ok", "-pHUNTER2\0").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argv[2] contains a NUL byte");
    }

    @Test
    void relativeWorkingDirectoryIsRejected() {
        assertThatThrownBy(() -> SpawnSpec.builder("/bin/true").workingDirectory(Path.of("tmp")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": tmp");
    }

    @Test
    void stdinNeedsAPipeTowardsTheChild() throws Exception {
        try (Pipe wrongWay = Pipe.fromChild("output")) {
            assertThatThrownBy(() -> SpawnSpec.builder("/bin/cat").stdin(Stdio.pipe(wrongWay)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stdin needs a pipe TO_CHILD");
        }
    }

    @Test
    void terminalDefaultsToANewSessionAndRefusesAProcessGroup() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            assertThat(SpawnSpec.builder("/bin/sh").terminal(pty).build().group())
                    .isEqualTo(SpawnSpec.Group.NEW_SESSION);
            assertThatThrownBy(() -> SpawnSpec.builder("/bin/sh").terminal(pty)
                    .group(SpawnSpec.Group.NEW_PROCESS_GROUP).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NEW_PROCESS_GROUP");
        }
        assertThat(SpawnSpec.builder("/bin/sh").build().group()).isEqualTo(SpawnSpec.Group.NEW_PROCESS_GROUP);
    }

    @Test
    void environmentKeepsItsOrderAndCannotBeChangedAfterwards() {
        java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
        env.put("Z", "1");
        env.put("A", "2");
        SpawnSpec spec = SpawnSpec.builder("/bin/true").environment(env).build();
        env.put("LATE", "3");
        assertThat(spec.environment().keySet()).containsExactly("Z", "A");
        assertThatThrownBy(() -> spec.environment().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
