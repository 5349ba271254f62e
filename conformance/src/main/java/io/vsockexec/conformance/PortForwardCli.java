package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code vsockexec port-forward} run as a user runs it, in a JVM of its own: started with its
 * mappings, ready once it has printed a {@code Forwarding from ...} line for each, stopped with
 * SIGTERM as Ctrl-C stops it. Its standard error is kept for the lines it prints about single
 * connections.
 */
final class PortForwardCli implements AutoCloseable {
    /** Only a broken run waits this long: a JVM's start on a loaded machine, or in user-mode Linux. */
    static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String PREFIX = "Forwarding from ";

    private final Process process;
    private final List<String> lines;
    private final List<String> errLines;

    private PortForwardCli(Process process, List<String> lines, List<String> errLines) {
        this.process = process;
        this.lines = lines;
        this.errLines = errLines;
    }

    /**
     * Starts {@code vsockexec port-forward --connect AGENT MAPPING...} and waits for its line per
     * mapping.
     *
     * @param agent the {@code --connect} value: an endpoint, or {@code local}
     */
    static PortForwardCli start(String agent, String... mappings) throws IOException, InterruptedException {
        Process p = process(arguments(agent, mappings)).start();
        p.getOutputStream().close();
        List<String> err = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().name("port-forward stderr").start(() -> collect(p.getErrorStream(), err::add));
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread.ofVirtual().name("port-forward stdout").start(() -> collect(p.getInputStream(), out::add));
        List<String> lines = new ArrayList<>();
        try {
            while (lines.size() < mappings.length) {
                String line = out.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(line).as("a Forwarding line; the CLI %s, stderr: %s",
                        p.isAlive() ? "still runs" : "exited " + p.exitValue(), err).isNotNull();
                lines.add(line);
            }
        } catch (RuntimeException | Error e) {
            p.destroyForcibly();
            throw e;
        }
        return new PortForwardCli(p, List.copyOf(lines), err);
    }

    /** Runs {@code vsockexec ARGS} to its end: its status and its standard error's lines. */
    static Finished run(String... args) throws IOException, InterruptedException {
        Process p = process(List.of(args)).start();
        p.getOutputStream().close();
        List<String> err = new CopyOnWriteArrayList<>();
        Thread errReader = Thread.ofVirtual().start(() -> collect(p.getErrorStream(), err::add));
        Thread.ofVirtual().start(() -> collect(p.getInputStream(), line -> {}));
        assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the CLI exited; stderr: %s", err).isTrue();
        assertThat(errReader.join(PATIENCE)).isTrue();
        return new Finished(p.exitValue(), List.copyOf(err));
    }

    /** A finished run: its exit status and its lines on standard error. */
    record Finished(int status, List<String> errLines) {}

    /** The {@code Forwarding from ADDR:PORT -> HOST:PORT} lines, in the order of the mappings. */
    List<String> lines() {
        return lines;
    }

    /** The local port mapping {@code index} listens on, as its line names it. */
    int localPort(int index) {
        String line = lines.get(index);
        assertThat(line).startsWith(PREFIX).contains(" -> ");
        String listen = line.substring(PREFIX.length(), line.indexOf(" -> "));
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    /** What it printed on standard error so far. */
    List<String> errLines() {
        return List.copyOf(errLines);
    }

    /** Sends SIGTERM, as Ctrl-C stops it, and waits for the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static List<String> arguments(String agent, String... mappings) {
        List<String> args = new ArrayList<>(List.of("port-forward", "--connect", agent));
        args.addAll(List.of(mappings));
        return args;
    }

    private static ProcessBuilder process(List<String> args) {
        List<String> command = new ArrayList<>(JavaCommand.of("io.vsockexec.cli.Main", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("VSOCKEXEC_CONNECT");
        return pb;
    }

    private static void collect(InputStream stream, java.util.function.Consumer<String> sink) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
