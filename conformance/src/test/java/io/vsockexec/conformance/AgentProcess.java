package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A real agent process, the way it runs in a VM: {@code java ... io.vsockexec.cli.Main agent}
 * with this module's test class path. The one way the tests on this machine start an agent: the
 * per-endpoint conformance classes ({@link AgentProcessSuite}) and {@link AgentLifecycleTest}.
 *
 * <p>It is ready once it has printed its ready line, which it does after every endpoint listens.
 * Its stdout and stderr are read to the end on threads of their own, so it never blocks on a full
 * pipe; a test can look at its stderr (the one line per session).
 */
final class AgentProcess implements Closeable {
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);
    private static final String READY_PREFIX = "vsockexec agent ready: ";

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();

    private AgentProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().name("agent stdout").start(() -> collect(process.getInputStream(), stdout, firstLine::complete));
        Thread.ofVirtual().name("agent stderr").start(() -> {
            collect(process.getErrorStream(), stderr, line -> { });
            stderrDone.complete(null);
        });
    }

    /**
     * Starts an agent listening on {@code listen}, with readiness on {@code ready} and
     * {@code options} added, and waits until it is ready.
     */
    static AgentProcess start(List<Endpoint> listen, Endpoint ready, String... options) throws IOException {
        return start(List.of(), listen, ready, options);
    }

    /** The same, started as a shell's background job would be: with SIGINT ignored. */
    static AgentProcess startWithSigintIgnored(List<Endpoint> listen, Endpoint ready, String... options)
            throws IOException {
        return start(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""), listen, ready, options);
    }

    private static AgentProcess start(List<String> wrapper, List<Endpoint> listen, Endpoint ready, String... options)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classPath(), "io.vsockexec.cli.Main", "agent"));
        for (Endpoint e : listen) {
            command.addAll(List.of("--listen", e.toString()));
        }
        command.addAll(List.of("--ready", ready.toString()));
        command.addAll(Arrays.asList(options));
        AgentProcess agent = new AgentProcess(new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start());
        try {
            agent.awaitReady();
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.process.destroyForcibly();
            throw e;
        }
    }

    /** The test class path: surefire's own property when it runs the tests through a manifest-only jar. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void awaitReady() throws IOException {
        String line;
        try {
            line = firstLine.get(START_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("agent did not print its ready line: " + e + "\nstderr:\n" + stderr, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the agent started", e);
        }
        if (line == null || !line.startsWith(READY_PREFIX)) {
            throw new IOException("agent did not start: " + line + "\nstderr:\n" + awaitStderr());
        }
    }

    /** Reads {@code in} to its end into {@code into}, handing the first line (null at once at end) to {@code first}. */
    private static void collect(InputStream in, StringBuffer into, Consumer<String> first) {
        boolean handedOver = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                into.append(l).append('\n');
                if (!handedOver) {
                    first.accept(l);
                    handedOver = true;
                }
            }
        } catch (IOException e) {
            into.append("(").append(e).append(")\n");
        } finally {
            if (!handedOver) {
                first.accept(null);
            }
        }
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
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
        return Processes.zombieChildrenOf(pid());
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
