package io.vsockexec.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as a user installs it: unpacked in a fresh directory, run from {@code /}
 * with no JAVA_HOME and no {@code java} on PATH. It finds its JDK 25 as the repository's launcher
 * does, its jars and AOT caches wherever it was unpacked, and ships its completion and manual page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    Path home;
    /** The only directory on PATH: bash (for the launcher) and echo (for the command), no java. */
    Path tools;

    @BeforeAll
    void unpack(@TempDir Path dir) throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(TARGET)) {
            tarball = files.filter(f -> f.getFileName().toString().matches("vsockexec-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no vsockexec-*.tar.gz in " + TARGET));
        }
        Path into = Files.createDirectories(dir.resolve("unpacked here"));
        assertThat(run(Map.of("PATH", "/usr/bin:/bin"), "tar", "-xzf", tarball.toString(), "-C", into.toString())[0])
                .isEqualTo("0");
        try (Stream<Path> unpacked = Files.list(into)) {
            home = unpacked.findFirst().orElseThrow();
        }
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("bash", "echo")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/bin", tool).toRealPath());
        }
    }

    /** The links go before the temporary directory does, which would warn about each. */
    @AfterAll
    void removeTools() throws IOException {
        for (String tool : List.of("bash", "echo")) {
            Files.deleteIfExists(tools.resolve(tool));
        }
    }

    /** Runs {@code command} from {@code /} with a clean environment plus {@code env}; exit status and all output. */
    private static String[] run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("VSOCKEXEC_") || k.equals("JAVA_HOME")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    private String[] vsockexec(Map<String, String> env, String... args) throws Exception {
        String[] command = Stream.concat(Stream.of(home.resolve("bin/vsockexec").toString()), Stream.of(args))
                .toArray(String[]::new);
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("PATH", tools.toString());
        return run(all, command);
    }

    @Test
    void runsACommandFromTheRootDirectoryWithoutJavaHomeOrJavaOnPath() throws Exception {
        assertThat(run(Map.of("PATH", tools.toString()), "bash", "-c", "command -v java || echo no java")[1])
                .isEqualTo("no java\n");

        assertThat(vsockexec(Map.of(), "exec", "--connect", "local", "--", "echo", "ok")).containsExactly("0", "ok\n");
    }

    @Test
    void usesItsAotCachesSoFileTimesSurvivedThePacking() throws Exception {
        Map<String, String> logClasses = Map.of("VSOCKEXEC_JAVA_OPTS", "-Xlog:class+load=info");
        assertThat(vsockexec(logClasses, "--version")[1]).contains("io.vsockexec.cli.Main source: shared objects file");
        assertThat(vsockexec(logClasses, "exec", "--connect", "local", "--", "true")[1])
                .contains("io.vsockexec.client.VsockExecClient source: shared objects file")
                .contains("io.vsockexec.transport.ChannelLink source: shared objects file");
    }

    @Test
    void shipsCompletionAndAManualPageMadeFromTheOptionTables() throws Exception {
        assertThat(home.resolve("share/bash-completion/completions/vsockexec"))
                .hasContent(vsockexec(Map.of(), "completion", "bash")[1].stripTrailing());
        assertThat(home.resolve("share/zsh/site-functions/_vsockexec"))
                .hasContent(vsockexec(Map.of(), "completion", "zsh")[1].stripTrailing());
        String page = Files.readString(home.resolve("share/man/man1/vsockexec.1"));
        assertThat(page).startsWith(".TH VSOCKEXEC 1 ");
        for (String command : List.of("exec", "agent", "ready", "cid", "vm", "bench", "completion", "help")) {
            assertThat(page).contains(".SS \"vsockexec " + command + "\"");
        }
    }

    @Test
    void holdsNothingOfTheBuildsOwn() throws IOException {
        assertThat(home.getFileName().toString()).matches("vsockexec-\\d.*");
        assertThat(home.resolve("lib/.built")).doesNotExist();
        try (Stream<Path> top = Files.list(home)) {
            assertThat(top.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bin", "lib", "share");
        }
    }
}
