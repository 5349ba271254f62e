package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramsTest {
    @TempDir
    Path dir;
    Path a;
    Path b;

    @BeforeEach
    void directories() throws IOException {
        a = Files.createDirectory(dir.resolve("a"));
        b = Files.createDirectory(dir.resolve("b"));
    }

    /** A {@code tool} script in {@code directory} with {@code permissions}, such as {@code rwxr-xr-x}. */
    static Path file(Path directory, String permissions) throws IOException {
        Path p = Files.writeString(directory.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        return p;
    }

    private String path() {
        return a + ":" + b;
    }

    @Test
    void findsTheExecutableInALaterDirectory() throws Exception {
        Path tool = file(b, "rwxr-xr-x");
        assertThat(Programs.resolve("tool", path(), null)).isEqualTo(tool.toString());
    }

    @Test
    void firstDirectoryWins() throws Exception {
        Path first = file(a, "rwxr-xr-x");
        file(b, "rwxr-xr-x");
        assertThat(Programs.resolve("tool", path(), null)).isEqualTo(first.toString());
    }

    @Test
    void nonExecutableFileIsSkippedForALaterExecutable() throws Exception {
        file(a, "rw-r--r--");
        Path tool = file(b, "rwxr-xr-x");
        assertThat(Programs.resolve("tool", path(), null)).isEqualTo(tool.toString());
    }

    @Test
    void onlyANonExecutableFileIsNotExecutableWithShellCode126() throws Exception {
        file(a, "rw-r--r--");
        assertThatThrownBy(() -> Programs.resolve("tool", path(), null))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EACCES);
                    assertThat(e.shellCode()).isEqualTo(126);
                    assertThat(e.program()).isEqualTo("tool");
                });
    }

    @Test
    void directoryNamedLikeTheCommandIsNotExecutable() throws Exception {
        Files.createDirectory(a.resolve("tool"));
        assertThatThrownBy(() -> Programs.resolve("tool", path(), null))
                .isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.shellCode()).isEqualTo(126));
    }

    @Test
    void missingCommandIsNotFoundWithShellCode127() {
        assertThatThrownBy(() -> Programs.resolve("tool", path(), null))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.shellCode()).isEqualTo(127);
                })
                .hasMessage("exec tool: ENOENT (No such file or directory)");
    }

    @Test
    void commandWithASlashIsNotSearched() throws Exception {
        assertThat(Programs.resolve("./tool", path(), null)).isEqualTo("./tool");
        assertThat(Programs.resolve("/no/such/tool", path(), null)).isEqualTo("/no/such/tool");
    }

    @Test
    void emptyAndRelativeEntriesAreRelativeToTheWorkingDirectory() throws Exception {
        Path inWorkingDir = file(a, "rwxr-xr-x");
        assertThat(Programs.resolve("tool", ":" + b, a)).isEqualTo(inWorkingDir.toString());
        Path inRelative = file(b, "rwxr-xr-x");
        assertThat(Programs.resolve("tool", "b", dir)).isEqualTo(inRelative.toString());
    }

    @Test
    void unsetPathSearchesTheDefault() throws Exception {
        assertThat(Programs.resolve("sh", null, null)).isEqualTo("/bin/sh");
    }

    @Test
    void emptyCommandIsRejected() {
        assertThatThrownBy(() -> Programs.resolve("", path(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"\"");
    }
}
