package io.vsockexec.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.conformance.AgentProcessConformance;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest agent's bundle as a VM image gets it: unpacked in a fresh directory and started by its
 * own {@code bin/vsockexec-agent} with no JAVA_HOME, no VSOCKEXEC_ variable and no JDK tool on
 * PATH, it runs on its own runtime with its AOT cache and passes the whole conformance suite. Its
 * log stays in {@code target/agent-logs/AgentBundleIT.log}.
 */
class AgentBundleIT extends AgentProcessConformance {
    /** The bound for the unpacked bundle. */
    private static final long MAX_BYTES = 64L << 20;
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    /** JDK classes an agent may load from its runtime rather than the cache before it is ready. */
    private static final int MOST_OUTSIDE_CACHE = 8;

    private Path home;
    /** PATH for the bundle: every program of /usr/bin and /bin but a JDK's. */
    private Path tools;
    private AgentProcess agent;

    @BeforeAll
    void startTheBundledAgent(@TempDir Path dir) throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(TARGET)) {
            tarball = files.filter(f -> f.getFileName().toString().matches("vsockexec-agent-.*-linux-.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no vsockexec-agent-*.tar.gz in " + TARGET));
        }
        Path into = Files.createDirectories(dir.resolve("rootfs/opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        home = into.resolve("vsockexec-agent");
        // Commands run as other users (-u nobody) look their programs up in it too.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        tools = withoutJdk(Files.createDirectories(dir.resolve("tools")));

        agent = startAgent(List.of(home.resolve("bin/vsockexec-agent").toString()),
                Endpoint.parse("unix://" + dir.resolve("exec.sock")), Endpoint.parse("unix://" + dir.resolve("ready.sock")),
                AGENT_OPTIONS, freshLog("AgentBundleIT"), this::guestEnvironment);
    }

    /** An environment with no JDK named anywhere. */
    private void guestEnvironment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("VSOCKEXEC_") || k.startsWith("JAVA_") || k.startsWith("JDK_"));
        env.put("PATH", tools.toString());
    }

    /** Links to every program in /usr/bin and /bin that is not a JDK's (java, javac, jar, ...). */
    private static Path withoutJdk(Path tools) throws IOException {
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(dir))) {
                for (Path p : programs.toList()) {
                    Path link = tools.resolve(p.getFileName().toString());
                    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !isJdkTool(p)) {
                        Files.createSymbolicLink(link, p);
                    }
                }
            }
        }
        return tools;
    }

    private static boolean isJdkTool(Path program) {
        try {
            return program.toRealPath().startsWith("/usr/lib/jvm") || program.getFileName().toString().startsWith("java");
        } catch (IOException dangling) {
            return true;
        }
    }

    /** The links in {@link #tools}; {@link AgentProcessConformance} stops the agent after this. */
    @AfterAll
    void removeTheTools() throws IOException {
        if (tools != null) {
            // The temporary directory's clean-up would warn about every link it removes.
            try (Stream<Path> links = Files.list(tools)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }
    }

    @Test
    void theBundleRunsOnItsOwnRuntimeWithNoJdkOnPath() throws IOException {
        assertThat(Files.exists(tools.resolve("java"))).isFalse();
        assertThat(Path.of("/proc", String.valueOf(agent.pid()), "exe").toRealPath())
                .isEqualTo(home.resolve("runtime/bin/java").toRealPath());
    }

    @Test
    void theBundleIsAtMost64MiBAndItsRuntimeHoldsOnlyJavaBase() throws IOException {
        long bytes;
        try (Stream<Path> files = Files.walk(home)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(AgentBundleIT::size).sum();
        }
        assertThat(bytes).as("unpacked bytes").isLessThanOrEqualTo(MAX_BYTES);
        assertThat(Files.readAllLines(home.resolve("runtime/release"))).contains("MODULES=\"java.base\"");
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()).map(n -> n.replaceAll("-[0-9].*\\.jar$", ".jar")))
                    .containsExactlyInAnyOrder("agent.aot", "agent-jvm.sh", "find-java.sh", "vsockexec-cli.jar", "vsockexec-agent.jar",
                            "vsockexec-copy.jar", "vsockexec-protocol.jar", "vsockexec-transport.jar", "vsockexec-native.jar",
                            "vsockexec-base.jar");
        }
        assertThat(home.resolve("share/systemd/vsockexec-agent.service")).isRegularFile();
        assertThat(home.resolve("share/init/vsockexec-init")).isExecutable();
    }

    @Test
    void theAgentsClassesComeFromTheAotCacheTrainedOnThatRuntime(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/vsockexec-agent").toString(),
                "--listen", "unix://" + dir.resolve("a.sock"), "--no-ready"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(Path.of("/").toFile());
        guestEnvironment(pb.environment());
        pb.environment().put("VSOCKEXEC_JAVA_OPTS", "-Xlog:class+load=info");
        Process p = pb.start();
        try {
            List<String> seen = new ArrayList<>();
            var reader = p.inputReader(StandardCharsets.UTF_8);
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("vsockexec agent ready")) {
                seen.add(line);
            }
            assertThat(line).as(String.join("\n", seen)).isNotNull();
            assertThat(seen).anyMatch(l -> l.contains("io.vsockexec.agent.Agent source: shared objects file"));
            assertThat(seen).as("the agent's own classes, all from the cache").noneMatch(l -> l.contains("source: file:"));
            // A JDK class that only a rarer path needs (a dead agent's cgroup to wait for, with a
            // sleep) may come from the runtime: a cache the JVM refused would load hundreds.
            List<String> outside = seen.stream().filter(l -> l.contains("source: jrt:/")).toList();
            assertThat(outside).as("JDK classes loaded outside the cache").hasSizeLessThanOrEqualTo(MOST_OUTSIDE_CACHE);
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
