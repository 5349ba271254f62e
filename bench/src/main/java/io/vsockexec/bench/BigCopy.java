package io.vsockexec.bench;

import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Row 14: one large file copied into the agent's machine and out of it by {@code vsockexec cp}, the
 * command line as users run it, against a fresh agent with a stated memory budget. What it proves
 * is memory, not speed: the agent's peak resident memory ({@code VmHWM}) stays within its
 * {@code --max-memory}, and the command line's within {@value #CLI_PEAK_LIMIT_MIB} MiB, whatever the
 * size. The file is {@value #TIMES_STREAM} times the stream size (4 GiB in the full run, 1 GiB with
 * {@code --quick}), sparse, so that no disk is read; what each copy writes is removed at once.
 *
 * <p>The command line's peak is its own {@code VmHWM}, read every {@value #POLL_MILLIS} ms while it
 * runs: the kernel keeps the peak, so the last reading before the exit misses only what the last
 * few milliseconds might have added, when the copy is done.
 */
final class BigCopy {
    static final int ROW = 14;
    static final String MEASUREMENT = "memory of a large copy each way through `vsockexec cp`";
    /** The agent's budget: the launcher's default, stated so that the row says what it held to. */
    static final String AGENT_BUDGET = "96MiB";
    private static final long AGENT_BUDGET_KIB = 96 * 1024;
    static final long CLI_PEAK_LIMIT_MIB = 256;
    static final String TARGET_TEXT = "agent peak RSS <= its --max-memory " + AGENT_BUDGET + "; cp peak RSS <= "
            + CLI_PEAK_LIMIT_MIB + " MiB";
    private static final int TIMES_STREAM = 4;
    private static final long POLL_MILLIS = 10;
    private static final Duration LIMIT = Duration.ofMinutes(20);
    /** Room left on the disk beyond the copy's own bytes, so that the run never fills it. */
    private static final long SPARE_BYTES = 2L << 30;

    private BigCopy() {}

    /** The size of the copied file: four times the stream size. */
    static long bytes(BenchSizes sizes) {
        return TIMES_STREAM * sizes.streamBytes();
    }

    /**
     * Row 14.
     *
     * @param cliCommand how users run the command line: the launcher, without arguments
     */
    static Row measure(List<String> cliCommand, List<String> agentCommand, BenchSizes sizes, BenchTransport transport,
            Path dir) throws IOException, InterruptedException {
        long bytes = bytes(sizes);
        String measurement = MEASUREMENT + " (" + Figures.size(bytes) + ")";
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < bytes + SPARE_BYTES) {
            return new Row(ROW, measurement, "skipped: " + Figures.size(free) + " free on the disk of " + dir
                    + ", the copy needs " + Figures.size(bytes + SPARE_BYTES), Row.NONE, Row.NONE, TARGET_TEXT,
                    Verdict.REPORTED);
        }
        Path source = sparseFile(dir.resolve("source"), bytes);
        BenchTransport.AgentEndpoints endpoints = transport.endpoints(dir, "agent");
        try (AgentProcess agent = AgentProcess.start(agentCommand, List.of(endpoints.exec()), endpoints.ready(),
                List.of("--max-memory", AGENT_BUDGET), dir.resolve("agent.log"),
                env -> env.put("VSOCKEXEC_SKIP_BUILD", "1"))) {
            agent.awaitReady();
            Endpoint endpoint = agent.endpoint();
            Path in = dir.resolve("in");
            Copy into = cp(cliCommand, dir, List.of("--connect", endpoint.toString(), source.toString(), ":" + in), in,
                    bytes);
            Path out = dir.resolve("out");
            Copy outOf = cp(cliCommand, dir, List.of("--connect", endpoint.toString(), ":" + source, out.toString()), out,
                    bytes);
            long agentPeakKib = agent.peakRssKib();
            return row(measurement, bytes, into, outOf, agentPeakKib);
        } finally {
            Files.deleteIfExists(source);
        }
    }

    private static Row row(String measurement, long bytes, Copy into, Copy outOf, long agentPeakKib) {
        String figure = Figures.format("into the VM %s, cp peak RSS %s; out of it %s, cp peak RSS %s; agent peak RSS %s"
                + " of its %s budget", Figures.throughput(bytes / (into.nanos() / 1e9)), Figures.kibAsMib(into.peakKib()),
                Figures.throughput(bytes / (outOf.nanos() / 1e9)), Figures.kibAsMib(outOf.peakKib()),
                Figures.kibAsMib(agentPeakKib), AGENT_BUDGET);
        Verdict verdict = Verdict.all(Verdict.atMost(agentPeakKib, AGENT_BUDGET_KIB),
                Verdict.atMost(Math.max(into.peakKib(), outOf.peakKib()), CLI_PEAK_LIMIT_MIB * 1024));
        return new Row(ROW, measurement, figure, Row.NONE, Row.NONE, TARGET_TEXT, verdict);
    }

    /** One {@code cp} run: how long it took and its peak resident memory. */
    private record Copy(long nanos, long peakKib) {}

    /** Runs {@code cp ARGS}, checks that {@code target} has {@code bytes}, removes it. */
    private static Copy cp(List<String> cliCommand, Path dir, List<String> args, Path target, long bytes)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(cliCommand);
        argv.add("cp");
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("cp.log").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("cp.log").toFile()));
        builder.environment().put("VSOCKEXEC_SKIP_BUILD", "1");
        long start = System.nanoTime();
        Process cp = builder.start();
        try {
            long peakKib = peakWhileRunning(cp);
            long nanos = System.nanoTime() - start;
            if (cp.exitValue() != 0) {
                throw new IOException("vsockexec cp " + String.join(" ", args) + " exited with " + cp.exitValue()
                        + ": " + lastLine(dir.resolve("cp.log")));
            }
            long copied = Files.size(target);
            Throughput.check(copied == bytes, "cp wrote " + copied + " bytes of " + bytes + " to " + target);
            return new Copy(nanos, peakKib);
        } finally {
            cp.destroyForcibly();
            Files.deleteIfExists(target);
        }
    }

    /** The process's {@code VmHWM}, read until it exits; the last reading. */
    private static long peakWhileRunning(Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long peak = 0;
        while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            try {
                peak = Math.max(peak, ProcessMemory.peakRssKib(p.pid()));
            } catch (IOException | RuntimeException e) {
                // It exited between the wait and the read: the last reading stands.
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("vsockexec cp did not finish within " + Figures.duration(LIMIT.toNanos()));
            }
        }
        return peak;
    }

    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "(nothing on stderr)" : lines.getLast();
    }

    private static Path sparseFile(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }
}
