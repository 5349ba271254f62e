package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/lib/find-java.sh, the launchers' JDK lookup: the first JDK 25 or newer, by its release file. */
class FindJavaTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "lib", "find-java.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A JDK home whose release file names {@code version}; its java is a script that must never run. */
    private Path jdk(String name, String version) throws Exception {
        Path home = dir.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho ran >&2\nexit 99\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    /** What {@code find_java} sets java_bin to, or the error it prints, with only {@code env} to go by. */
    private String findJava(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -eu; . \"$1\"; find_java && echo \"$java_bin\"", "find-java", SCRIPT.toString())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void takesTheConfiguredJdkWhenItIs25OrNewer() throws Exception {
        Path jdk26 = jdk("jdk-26", "26.0.1");

        assertThat(findJava(Map.of("VSOCKEXEC_JAVA_HOME", jdk26.toString(), "JAVA_HOME", jdk("jdk-25", "25").toString())))
                .isEqualTo(jdk26 + "/bin/java");
    }

    @Test
    void skipsAnOlderJdkForTheNextCandidate() throws Exception {
        Path jdk25 = jdk("jdk-25", "25.0.3");

        assertThat(findJava(Map.of("VSOCKEXEC_JAVA_HOME", jdk("jdk-17", "17.0.9").toString(), "JAVA_HOME",
                jdk("jdk-8", "1.8.0_402").toString(), "HOME", dir.toString())))
                .isNotEqualTo(dir.resolve("jdk-17") + "/bin/java")
                .isNotEqualTo(dir.resolve("jdk-8") + "/bin/java");
        assertThat(findJava(Map.of("VSOCKEXEC_JAVA_HOME", jdk("old", "21").toString(), "JAVA_HOME", jdk25.toString())))
                .isEqualTo(jdk25 + "/bin/java");
    }

    @Test
    void aHomeWithoutReleaseOrJavaIsPassedOver() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path jdk25 = jdk("jdk-25", "25");
        Files.delete(jdk("norelease", "25").resolve("release"));

        assertThat(findJava(Map.of("VSOCKEXEC_JAVA_HOME", empty.toString(), "JAVA_HOME",
                dir.resolve("norelease").toString()))).doesNotContain("norelease");
        assertThat(findJava(Map.of("VSOCKEXEC_JAVA_HOME", empty.toString(), "JAVA_HOME", jdk25.toString())))
                .isEqualTo(jdk25 + "/bin/java");
    }
}
