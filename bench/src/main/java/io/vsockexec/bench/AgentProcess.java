package io.vsockexec.bench;

import io.vsockexec.client.Readiness;
import io.vsockexec.nativeio.Deadline;
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
 * An agent in a process of its own, started the way users start it (the launcher command the
 * benchmark was given), and what the benchmark reads of it: when it became ready, and its
 * memory from {@code /proc/PID/status}.
 */
final class AgentProcess implements AutoCloseable {
    /** Between two readiness probes while the agent starts: the resolution of rows 5 and 6. */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(1);
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final long startNanos;
    private final BenchTransport.AgentEndpoints endpoints;
    private final Path log;

    private AgentProcess(Process process, long startNanos, BenchTransport.AgentEndpoints endpoints, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        this.endpoints = endpoints;
        this.log = log;
    }

    /**
     * Starts {@code command} followed by the endpoint options (and {@code --max-sessions} when
     * {@code maxSessions} is positive). Its stdout and stderr go to {@code log}. The start time
     * is taken just before the process is started.
     *
     * @param command the agent command without options, e.g. {@code [./vsockexec, agent]}
     */
    static AgentProcess start(List<String> command, BenchTransport.AgentEndpoints endpoints, int maxSessions, Path log)
            throws IOException {
        return start(command, endpoints, maxSessions, log, env -> {});
    }

    /**
     * Like {@link #start(List, BenchTransport.AgentEndpoints, int, Path)}, with {@code environment}
     * given the agent's environment to change before it starts.
     */
    static AgentProcess start(List<String> command, BenchTransport.AgentEndpoints endpoints, int maxSessions, Path log,
            Consumer<Map<String, String>> environment) throws IOException {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("--listen", endpoints.exec().toString(), "--ready", endpoints.ready().toString()));
        if (maxSessions > 0) {
            argv.addAll(List.of("--max-sessions", String.valueOf(maxSessions)));
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // The bench itself was started by the launcher, which has checked the build already.
        env.put("VSOCKEXEC_SKIP_BUILD", "1");
        environment.accept(env);
        long start = System.nanoTime();
        Process p = builder.start();
        return new AgentProcess(p, start, endpoints, log);
    }

    /** Where sessions are served. */
    Endpoint endpoint() {
        return endpoints.exec();
    }

    /** The process id (the JVM's: the launcher execs it). */
    long pid() {
        return process.pid();
    }

    /** The process, for a caller that stops it its own way rather than by {@link #close()}. */
    Process process() {
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
    long awaitReady() throws IOException {
        Deadline deadline = Deadline.after(START_LIMIT);
        while (!Readiness.isReady(endpoints.ready(), deadline)) {
            if (!process.isAlive()) {
                throw new IOException("the agent exited with status " + process.exitValue() + " before it was ready: "
                        + logTail(log));
            }
            if (deadline.hasPassed()) {
                throw new IOException("the agent was not ready within " + START_LIMIT.toSeconds() + " s: "
                        + logTail(log));
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
    long rssKib() throws IOException {
        return status("VmRSS");
    }

    /** Peak resident memory so far ({@code VmHWM}), in KiB. */
    long peakRssKib() throws IOException {
        return status("VmHWM");
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' ')));
            }
        }
        throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    /** The end of an agent's log, for an error message. */
    static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the agent with SIGTERM, as a VM's init would; SIGKILL if it has not exited within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
