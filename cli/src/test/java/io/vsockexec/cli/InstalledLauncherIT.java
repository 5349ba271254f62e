package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed layout the build makes (cli/target/bin and cli/target/lib), copied elsewhere as a
 * distribution would put it, run from {@code /} with no JAVA_HOME and no JDK 25 on PATH: it finds
 * its jars, its JDK and its AOT cache by itself. Runs after {@code package}.
 */
class InstalledLauncherIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path dir;
    Path home;

    @BeforeEach
    void install() throws IOException {
        home = dir.resolve("opt/vsockexec");
        for (String sub : new String[] {"bin", "lib"}) {
            try (Stream<Path> files = Files.walk(TARGET.resolve(sub))) {
                for (Path f : files.toList()) {
                    Path to = home.resolve(sub).resolve(TARGET.resolve(sub).relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    /** Runs {@code command} from {@code /} with a clean environment plus {@code env}; exit status and all output. */
    private static String[] run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("VSOCKEXEC_") || k.equals("JAVA_HOME")
                || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    private String launcher() {
        return home.resolve("bin/vsockexec").toString();
    }

    @Test
    void runsFromAnyDirectoryWithoutJavaHome() throws Exception {
        assertThat(run(Map.of(), launcher(), "--version")).containsExactly("0",
                "vsockexec " + version() + " (Java " + javaVersion() + ")\n");
        assertThat(run(Map.of(), launcher(), "exec", "--connect", "local", "--", "echo", "ok"))
                .containsExactly("0", "ok\n");
    }

    @Test
    void runsThroughALinkOnPathAndByARelativePath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("usr/local/bin"));
        Files.createSymbolicLink(bin.resolve("vsockexec"), home.resolve("bin/vsockexec"));

        // A shell looks the name up on PATH, as a user's does.
        assertThat(run(Map.of("PATH", bin + ":/usr/bin:/bin"), "bash", "-c", "vsockexec --version")[1])
                .startsWith("vsockexec ");
        ProcessBuilder relative = new ProcessBuilder("bin/vsockexec", "--version").directory(home.toFile())
                .redirectErrorStream(true);
        Process p = relative.start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("vsockexec ");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void usesItsAotCacheWhereverItIsAndOnlyWhileTheJarsAreNotNewer() throws Exception {
        Map<String, String> logClasses = Map.of("VSOCKEXEC_JAVA_OPTS", "-Xlog:class+load=info");
        assertThat(run(logClasses, launcher(), "--version")[1])
                .contains("io.vsockexec.cli.Main source: shared objects file");
        // exec's cache holds the client and its transport, which --version's leaves out.
        assertThat(run(logClasses, launcher(), "exec", "--connect", "local", "--", "true")[1])
                .contains("io.vsockexec.client.VsockExecClient source: shared objects file")
                .contains("io.vsockexec.transport.ChannelLink source: shared objects file");

        Path cliJar;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            cliJar = jars.filter(j -> j.getFileName().toString().startsWith("vsockexec-cli-")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(cliJar, FileTime.from(Instant.now().plusSeconds(60)));
        String[] stale = run(logClasses, launcher(), "--version");
        assertThat(stale[0]).isEqualTo("0");
        assertThat(stale[1]).contains("io.vsockexec.cli.Main source: file:").doesNotContain("[error]");
    }

    @Test
    void startsTheAgentWithItsOwnCache() throws Exception {
        Path sock = dir.resolve("a.sock");
        List<String> command = new ArrayList<>(Arrays.asList(launcher(), "agent", "--listen", "unix://" + sock,
                "--no-ready"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("VSOCKEXEC_JAVA_OPTS", "-Xlog:class+load=info");
        pb.environment().remove("JAVA_HOME");
        Process agent = pb.start();
        try {
            String line;
            StringBuilder seen = new StringBuilder();
            var reader = agent.inputReader(StandardCharsets.UTF_8);
            while ((line = reader.readLine()) != null && !line.startsWith("vsockexec agent ready")) {
                seen.append(line).append('\n');
            }
            assertThat(line).isNotNull();
            assertThat(seen).contains("io.vsockexec.agent.Agent source: shared objects file");
            assertThat(run(Map.of(), launcher(), "exec", "--connect", "unix://" + sock, "--", "echo", "hi"))
                    .containsExactly("0", "hi\n");
        } finally {
            agent.destroy();
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String version() throws IOException {
        try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
            String jar = jars.map(j -> j.getFileName().toString()).filter(n -> n.startsWith("vsockexec-cli-"))
                    .findFirst().orElseThrow();
            return jar.substring("vsockexec-cli-".length(), jar.length() - ".jar".length());
        }
    }

    private static String javaVersion() throws Exception {
        String[] out = run(Map.of(), "bash", "-c", ". " + TARGET.resolve("lib/find-java.sh")
                + "; find_java; \"$java_bin\" -XshowSettings:properties -version 2>&1"
                + " | sed -n 's/^ *java.runtime.version = //p'");
        return out[1].strip();
    }
}
