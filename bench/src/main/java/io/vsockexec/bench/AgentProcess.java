package io.vsockexec.bench;

import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Deadline;
import io.vsockexec.client.Readiness;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An agent in a process of its own, started the way users start it, and what can be read of it:
 * when it became ready, its log, and its memory from {@code /proc/PID/status}. The benchmark
 * starts its agents with the launcher command it was given; it is public for the end-to-end tests,
 * which start theirs with a command line of their own.
 *
 * <pre>{@code
 * try (AgentProcess agent = AgentProcess.start(List.of("./vsockexec", "agent"), List.of(exec), ready,
 *         List.of("--grace", "2s"), dir.resolve("agent.log"), env -> { })) {
 *     agent.awaitReady();
 *     ...
 * }
 * }</pre>
 */
public final class AgentProcess implements AutoCloseable {
    /** Between two readiness probes while the agent starts: the resolution of rows 5 and 6. */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(1);
    /** Generous: only an agent that never gets ready comes near it, and a crashed one is seen at once. */
    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final long startNanos;
    /** Where it serves sessions (its first listen endpoint) and answers readiness probes. */
    private final BenchTransport.AgentEndpoints endpoints;
    private final Path log;

    private AgentProcess(Process process, long startNanos, BenchTransport.AgentEndpoints endpoints, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        this.endpoints = endpoints;
        this.log = log;
    }

    /**
     * Starts {@code command} followed by {@code --listen} for each of {@code listen}, {@code
     * --ready ready} and {@code options}. Its stdin is {@code /dev/null}; its stdout and stderr
     * are appended to {@code log}. The start time is taken just before the process is started. It
     * does not wait for the agent: {@link #awaitReady()} does.
     *
     * @param command the agent command without options, e.g. {@code [./vsockexec, agent]}
     * @param listen where it serves sessions, at least one
     * @param ready its readiness endpoint, which {@link #awaitReady()} probes
     * @param options more options, e.g. {@code [--max-sessions, 2]}
     * @param log the file its output is appended to
     * @param environment given the agent's environment (this process's) to change before it starts
     * @throws IllegalArgumentException if {@code listen} is empty
     */
    public static AgentProcess start(List<String> command, List<Endpoint> listen, Endpoint ready,
            List<String> options, Path log, Consumer<Map<String, String>> environment) throws IOException {
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("no listen endpoint for the agent " + command);
        }
        List<String> argv = new ArrayList<>(command);
        listen.forEach(e -> argv.addAll(List.of("--listen", e.toString())));
        argv.addAll(List.of("--ready", ready.toString()));
        argv.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment.accept(builder.environment());
        long start = System.nanoTime();
        Process p = builder.start();
        return new AgentProcess(p, start, new BenchTransport.AgentEndpoints(listen.getFirst(), ready), log);
    }

    /**
     * The benchmark's agent: {@code command} (the launcher and {@code agent}) with its sockets and
     * its log ({@code agent.log}) in {@code dir}, and {@code --max-sessions} when {@code
     * maxSessions} is positive.
     */
    static AgentProcess start(List<String> command, BenchTransport transport, Path dir, int maxSessions)
            throws IOException {
        return start(command, transport, dir, maxSessions, env -> {});
    }

    /**
     * Like {@link #start(List, BenchTransport, Path, int)}, with {@code environment} given the
     * agent's environment to change before it starts.
     */
    static AgentProcess start(List<String> command, BenchTransport transport, Path dir, int maxSessions,
            Consumer<Map<String, String>> environment) throws IOException {
        BenchTransport.AgentEndpoints endpoints = transport.endpoints(dir, "agent");
        List<String> options = sessionOptions(maxSessions);
        return start(command, List.of(endpoints.exec()), endpoints.ready(), options, dir.resolve("agent.log"), env -> {
            // The bench itself was started by the launcher, which has checked the build already.
            env.put("VSOCKEXEC_SKIP_BUILD", "1");
            environment.accept(env);
        });
    }

    /**
     * {@code --max-sessions} when {@code maxSessions} is positive; beyond the agent's default
     * ({@link AgentConfig#DEFAULT_MAX_SESSIONS}) also {@code --max-memory} of row 4's RSS target, since each session's fixed cost is
     * taken from the ceiling and the default one (96 MiB) refuses to start with a thousand.
     */
    private static List<String> sessionOptions(int maxSessions) {
        if (maxSessions <= 0) {
            return List.of();
        }
        String sessions = String.valueOf(maxSessions);
        return maxSessions <= AgentConfig.DEFAULT_MAX_SESSIONS ? List.of("--max-sessions", sessions)
                : List.of("--max-sessions", sessions, "--max-memory", "256MiB");
    }

    /** Where sessions are served: the first listen endpoint. */
    Endpoint endpoint() {
        return endpoints.exec();
    }

    /** The process id (the JVM's: the launcher execs it, as does a shell's {@code exec}). */
    public long pid() {
        return process.pid();
    }

    /** The process, for a caller that signals it or stops it its own way rather than by {@link #close()}. */
    public Process process() {
        return process;
    }

    /** When the process was started, on the {@link System#nanoTime()} clock. */
    long startNanos() {
        return startNanos;
    }

    /**
     * Probes the readiness endpoint every millisecond until it accepts; returns the time from
     * the process start until then, in nanoseconds.
     *
     * @throws IOException if the agent exits first or is not ready within a minute, with its log
     */
    public long awaitReady() throws IOException {
        Deadline deadline = Deadline.after(START_LIMIT);
        while (!Readiness.isReady(endpoints.ready(), deadline)) {
            if (!process.isAlive()) {
                throw new IOException("the agent exited with status " + process.exitValue() + " before it was ready: "
                        + logTail());
            }
            if (deadline.hasPassed()) {
                throw new IOException("the agent was not ready within " + START_LIMIT.toSeconds() + " s: "
                        + logTail());
            }
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the agent", e);
            }
        }
        return System.nanoTime() - startNanos;
    }

    /** Resident memory now ({@code VmRSS}), in KiB. */
    public long rssKib() throws IOException {
        return ProcessMemory.rssKib(process.pid());
    }

    /** Peak resident memory so far ({@code VmHWM}), in KiB. */
    public long peakRssKib() throws IOException {
        return ProcessMemory.peakRssKib(process.pid());
    }

    /** The end of the agent's log (its last five lines), for an error message. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the agent with SIGTERM, as a VM's init would, and returns its exit status.
     *
     * @throws IOException if it has not exited within {@code limit}, with its log; it is killed with SIGKILL then
     */
    public int terminate(Duration limit) throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IOException("the agent did not exit within " + limit.toSeconds() + " s of SIGTERM: " + logTail());
        }
        return process.exitValue();
    }

    /** Stops the agent with SIGTERM; SIGKILL if it has not exited within 30 s. */
    @Override
    public void close() {
        try {
            terminate(STOP_LIMIT);
        } catch (IOException e) {
            // Killed instead: stopped all the same, which is all that closing asks.
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
