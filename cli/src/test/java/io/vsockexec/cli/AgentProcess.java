package io.vsockexec.cli;

import io.vsockexec.transport.Endpoint;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real agent process, the way it runs in a VM: {@code java ... io.vsockexec.cli.Main agent},
 * here on a Unix socket and on an emulated hybrid VM socket (exec port 5000, readiness 5002).
 */
final class AgentProcess implements Closeable {
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);

    final Endpoint unix;
    final Endpoint hybrid;
    final Endpoint ready;
    private final Process process;
    private final String readyLine;
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();

    private AgentProcess(Path dir, Process process) throws IOException {
        this.unix = Endpoint.parse("unix://" + dir.resolve("exec.sock"));
        this.hybrid = Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000");
        this.ready = Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5002");
        this.process = process;
        Thread.ofVirtual().start(this::collectStderr);
        this.readyLine = awaitReadyLine();
    }

    /**
     * Starts an agent listening in {@code dir} with {@code options} added.
     *
     * @param sigintIgnored start it as a shell's background job would: with SIGINT ignored
     */
    static AgentProcess start(Path dir, boolean sigintIgnored, String... options) throws IOException {
        List<String> command = new ArrayList<>();
        if (sigintIgnored) {
            command.addAll(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        }
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classPath(), "io.vsockexec.cli.Main", "agent",
                "--listen", "unix://" + dir.resolve("exec.sock"),
                "--listen", "hybrid://" + dir.resolve("vm.sock") + ":5000",
                "--ready", "hybrid://" + dir.resolve("vm.sock") + ":5002"));
        command.addAll(Arrays.asList(options));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            return new AgentProcess(dir, p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    static AgentProcess start(Path dir, String... options) throws IOException {
        return start(dir, false, options);
    }

    /** The test class path: surefire's own property when it runs the tests through a manifest-only jar. */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private String awaitReadyLine() throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
            } catch (IOException e) {
                return null;
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            String l = line.get(START_PATIENCE.toSeconds(), TimeUnit.SECONDS);
            if (l == null || !l.startsWith("vsockexec agent ready: ")) {
                throw new IOException("agent did not start: " + l + "\n" + awaitStderr());
            }
            return l;
        } catch (Exception e) {
            throw new IOException("agent did not print its ready line: " + e + "\n" + stderr, e);
        }
    }

    private void collectStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                stderr.append(l).append('\n');
            }
        } catch (IOException e) {
            stderr.append("(stderr: ").append(e).append(")\n");
        } finally {
            stderrDone.complete(null);
        }
    }

    String readyLine() {
        return readyLine;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** What the agent wrote to stderr so far. */
    String stderr() {
        return stderr.toString();
    }

    /** Waits until the agent's stderr has ended (it exited), then returns all of it. */
    String awaitStderr() {
        try {
            stderrDone.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // return what there is
        }
        return stderr.toString();
    }

    /** Sends SIGTERM and waits for the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("agent did not exit after SIGTERM; stderr:\n" + stderr);
        }
        return process.exitValue();
    }

    /** The agent's children in state Z: exited, not reaped. */
    List<Long> zombieChildren() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .filter(n -> isZombieChildOf(n, pid()))
                    .map(Long::valueOf)
                    .toList();
        }
    }

    /** True while process {@code pid} exists and is not a zombie. */
    static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean isZombieChildOf(String pid, long parent) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3);
            return fields[0].equals("Z") && Long.parseLong(fields[1]) == parent;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
