package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's ./vsockexec in a stand-in repository: it builds (with a stand-in ./mvnw) only
 * when there is no build or a main source, a pom or a launcher file is newer than the last one,
 * then runs the built launcher with the same arguments.
 */
class RepositoryLauncherTest {
    private static final Path LAUNCHER = Path.of("..", "vsockexec").toAbsolutePath().normalize();
    private static final Path FIND_JAVA = Path.of("..", "scripts", "lib", "find-java.sh").toAbsolutePath().normalize();
    private static final Instant BUILT = Instant.parse("2026-01-02T00:00:00Z");

    @TempDir
    Path repo;
    Path source;

    @BeforeEach
    void standInRepository() throws Exception {
        Files.copy(LAUNCHER, repo.resolve("vsockexec"));
        Files.createDirectories(repo.resolve("scripts/lib"));
        Files.copy(FIND_JAVA, repo.resolve("scripts/lib/find-java.sh"));
        executable(repo.resolve("mvnw"), "#!/bin/sh\necho built >> \"$(dirname \"$0\")/builds\"\n"
                + "touch \"$(dirname \"$0\")/cli/target/lib/.built\"\n");
        Files.createDirectories(repo.resolve("cli/target/lib"));
        executable(repo.resolve("cli/target/bin/vsockexec"), "echo \"ran $*\"\n");
        source = Files.createDirectories(repo.resolve("agent/src/main/java/io/x")).resolve("A.java");
        Files.writeString(source, "class A {}\n");
        Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
        for (Path p : new Path[] {source, repo.resolve("pom.xml"), repo.resolve("scripts/lib/find-java.sh")}) {
            Files.setLastModifiedTime(p, FileTime.from(BUILT.minusSeconds(60)));
        }
    }

    private static void executable(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void built() throws Exception {
        Path stamp = repo.resolve("cli/target/lib/.built");
        Files.writeString(stamp, "");
        Files.setLastModifiedTime(stamp, FileTime.from(BUILT));
    }

    /** Runs {@code ./vsockexec --version} in the stand-in repository; its output with the builds it made. */
    private String run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("vsockexec").toString(), "--version")
                .directory(Path.of("/").toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path builds = repo.resolve("builds");
        return out + (Files.exists(builds) ? Files.readString(builds) : "");
    }

    @Test
    void anUpToDateBuildRunsAtOnce() throws Exception {
        built();

        assertThat(run(Map.of())).isEqualTo("ran --version\n");
    }

    @Test
    void noBuildYetBuildsFirst() throws Exception {
        assertThat(run(Map.of())).startsWith("vsockexec: building").endsWith("ran --version\nbuilt\n");
    }

    @Test
    void aChangedSourceOrPomBuildsAgainOnce() throws Exception {
        built();
        Files.setLastModifiedTime(source, FileTime.from(BUILT.plusSeconds(1)));

        assertThat(run(Map.of())).contains("vsockexec: building").endsWith("ran --version\nbuilt\n");
        assertThat(run(Map.of())).endsWith("ran --version\nbuilt\n").doesNotContain("built\nbuilt");
    }

    @Test
    void skipBuildNeverBuilds() throws Exception {
        built();
        Files.setLastModifiedTime(repo.resolve("pom.xml"), FileTime.from(BUILT.plusSeconds(1)));

        assertThat(run(Map.of("VSOCKEXEC_SKIP_BUILD", "1"))).isEqualTo("ran --version\n");
    }
}
