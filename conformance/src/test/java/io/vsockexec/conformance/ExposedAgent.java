package io.vsockexec.conformance;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent process for the tests that push it to its limits, started as users start it
 * ({@link AgentProcess}, {@code vsockexec agent}) on every listener kind this machine can connect
 * to: a Unix socket, a TCP port on loopback and an emulated hybrid VM socket (exec port 5000,
 * readiness 5002). Its log is kept in {@code target/agent-logs/NAME.log}.
 */
final class ExposedAgent implements AutoCloseable {
    private static final Pattern TCP = Pattern.compile("exec (tcp://127\\.0\\.0\\.1:[0-9]+)");

    final Endpoint unix;
    final Endpoint hybrid;
    final Endpoint tcp;
    final Path unixSocket;
    final Path vmSocket;
    private final AgentProcess process;
    private final Path log;

    private ExposedAgent(Path dir, AgentProcess process, Path log) throws IOException {
        this.unixSocket = dir.resolve("exec.sock");
        this.vmSocket = dir.resolve("vm.sock");
        this.unix = Endpoint.parse("unix://" + unixSocket);
        this.hybrid = Endpoint.parse("hybrid://" + vmSocket + ":5000");
        this.process = process;
        this.log = log;
        this.tcp = Endpoint.parse(readyLinePart(TCP));
    }

    /** A ready agent with {@code options}, its sockets in {@code dir}, its log named {@code name}. */
    static ExposedAgent start(Path dir, String name, String... options) throws IOException {
        return start(AgentProcessSuite.agentCommand(), dir, name, options);
    }

    /**
     * The same, started by {@code command} (e.g. {@code setpriv ... java ... agent}, to start it as
     * another user).
     */
    static ExposedAgent start(List<String> command, Path dir, String name, String... options) throws IOException {
        Path logs = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "agent-logs"));
        Path log = logs.resolve(name + ".log");
        Files.deleteIfExists(log);
        List<Endpoint> listen = List.of(Endpoint.parse("unix://" + dir.resolve("exec.sock")),
                Endpoint.parse("tcp://127.0.0.1:0"), Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000"));
        AgentProcess process = AgentProcess.start(command, listen,
                Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5002"), List.of(options), log, env -> { });
        try {
            process.awaitReady();
            Processes.awaitTrue(() -> log(log).contains("vsockexec agent ready: "), "no ready line: " + log(log));
            return new ExposedAgent(dir, process, log);
        } catch (IOException | RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    AgentProcess process() {
        return process;
    }

    /** Kills the agent with SIGKILL, which it cannot catch, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.process().destroyForcibly();
        process.process().waitFor();
    }

    /** What the agent has logged so far. */
    String log() {
        return log(log);
    }

    private static String log(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many lines of the log contain {@code text}. */
    long logLines(String text) {
        return log().lines().filter(l -> l.contains(text)).count();
    }

    /** Waits until the log contains {@code text}. */
    void awaitLog(String text) {
        Processes.awaitTrue(() -> log().contains(text), "the agent never logged \"" + text + "\"; its log:\n" + log());
    }

    /** How many descriptors the agent has open now. */
    int descriptors() {
        try {
            return Descriptors.count(pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many descriptors the agent has open once the count holds still (see {@link Descriptors#settled}). */
    int settledDescriptors() throws IOException, InterruptedException {
        return Descriptors.settled(pid());
    }

    /** A field of {@code /proc/PID/status} in KiB, e.g. {@code VmRSS}. */
    long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no " + field + " for the agent");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readyLinePart(Pattern part) {
        Matcher m = part.matcher(log());
        if (!m.find()) {
            throw new IllegalStateException("no " + part + " in the ready line: " + log());
        }
        return m.group(1);
    }

    @Override
    public void close() {
        process.close();
    }
}
