package io.vsockexec.nativeio;

import static io.vsockexec.nativeio.ProgramsTest.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache must never answer what a fresh search would not: each test changes a directory after a lookup. */
class ProgramResolverTest {
    @TempDir
    Path dir;
    Path a;
    Path b;
    private final ProgramResolver resolver = ProgramResolver.create();

    @BeforeEach
    void directories() throws IOException {
        a = Files.createDirectory(dir.resolve("a"));
        b = Files.createDirectory(dir.resolve("b"));
    }

    @AfterEach
    void close() {
        resolver.close();
    }

    private String path() {
        return a + ":" + b;
    }

    @Test
    void answersAsASearchDoesAndAgainFromTheCache() throws Exception {
        Path later = file(b, "rwxr-xr-x");
        assertThat(resolver.resolve("tool", path(), null)).isEqualTo(later.toString());
        assertThat(resolver.resolve("tool", path(), null)).isEqualTo(later.toString());
        assertThat(resolver.resolve("sh", "/bin:/usr/bin", null)).isEqualTo(Programs.resolve("sh", "/bin:/usr/bin", null));
    }

    @Test
    void seesAProgramInstalledInAnEarlierDirectoryAfterALookup() throws Exception {
        file(b, "rwxr-xr-x");
        resolver.resolve("tool", path(), null);
        Path earlier = file(a, "rwxr-xr-x");
        assertThat(resolver.resolve("tool", path(), null)).isEqualTo(earlier.toString());
    }

    @Test
    void seesAProgramRemovedAfterALookup() throws Exception {
        Path only = file(b, "rwxr-xr-x");
        resolver.resolve("tool", path(), null);
        Files.delete(only);
        assertThatThrownBy(() -> resolver.resolve("tool", path(), null))
                .isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void seesAProgramThatLostItsExecutePermissionAfterALookup() throws Exception {
        Path first = file(a, "rwxr-xr-x");
        Path second = file(b, "rwxr-xr-x");
        resolver.resolve("tool", path(), null);
        Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(resolver.resolve("tool", path(), null)).isEqualTo(second.toString());
    }

    @Test
    void seesADirectoryReplacedAfterALookup() throws Exception {
        file(b, "rwxr-xr-x");
        resolver.resolve("tool", path(), null);
        Files.move(a, dir.resolve("old-a"));
        Path replaced = file(Files.createDirectory(a), "rwxr-xr-x");
        assertThat(resolver.resolve("tool", path(), null)).isEqualTo(replaced.toString());
        Files.delete(replaced);
        assertThat(resolver.resolve("tool", path(), null)).as("the new directory is watched too")
                .isEqualTo(b.resolve("tool").toString());
    }

    @Test
    void searchesARelativePathEveryTime() throws Exception {
        Files.createDirectory(a.resolve("bin"));
        Files.createDirectory(b.resolve("bin"));
        Path inA = file(a.resolve("bin"), "rwxr-xr-x");
        Path inB = file(b.resolve("bin"), "rwxr-xr-x");
        assertThat(resolver.resolve("tool", "bin", a)).isEqualTo(inA.toString());
        assertThat(resolver.resolve("tool", "bin", b)).isEqualTo(inB.toString());
    }
}
