package io.vsockexec.bench;

import io.vsockexec.client.VsockExecClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The benchmark behind {@code vsockexec bench}: starts its own agent and command-line processes,
 * measures rows 1 to 8 and 10 to 14 (and 9, through a user-mode Linux guest, in the full run) and returns the table.
 *
 * <pre>{@code
 * ResultTable t = Benchmark.run(new Benchmark.Config(BenchTransport.UNIX, BenchSizes.quick(),
 *         List.of("./vsockexec", "agent"), List.of("./vsockexec"), System.err::println));
 * System.out.print(t.markdown());
 * }</pre>
 *
 * <p>A measurement that fails (an agent that does not start, a wrong output) becomes a FAIL row
 * with the reason; the others still run.
 */
public final class Benchmark {
    private Benchmark() {}

    /**
     * What to run.
     *
     * @param transport the transport of every agent, client and baseline
     * @param sizes how much each row does
     * @param agentCommand the command that starts an agent, without its options: the launcher
     *     and {@code agent}, as users run it; the benchmark adds {@code --listen}, {@code --ready}
     *     and, for row 4, {@code --max-sessions}
     * @param cliCommand the command line as users run it, without arguments: the launcher; row 8
     *     adds {@code exec ...} or {@code --version}, row 11 {@code port-forward ...}, row 14 {@code cp ...}
     * @param progress one line per step, for the impatient (stderr)
     */
    public record Config(BenchTransport transport, BenchSizes sizes, List<String> agentCommand,
            List<String> cliCommand, Consumer<String> progress) {
        public Config {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(sizes, "sizes");
            agentCommand = List.copyOf(agentCommand);
            cliCommand = List.copyOf(cliCommand);
            if (agentCommand.isEmpty() || cliCommand.isEmpty()) {
                throw new IllegalArgumentException("the agent and command-line commands must not be empty");
            }
            Objects.requireNonNull(progress, "progress");
        }
    }

    /** A step of the benchmark; throws on failure. */
    @FunctionalInterface
    private interface Step {
        Row run() throws Exception;
    }

    /** Runs every measurement and returns the table; socket files live in a temporary directory removed after. */
    public static ResultTable run(Config config) throws IOException {
        Path dir = Files.createTempDirectory("vsockexec-bench-");
        try {
            return run(config, dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static ResultTable run(Config config, Path dir) throws IOException {
        RowFilter filter = RowFilter.of(System.getenv());
        List<Row> rows = new ArrayList<>();
        BenchSizes sizes = config.sizes();
        BenchTransport transport = config.transport();
        Path main = Files.createDirectories(dir.resolve("main"));
        try (AgentProcess agent = AgentProcess.start(config.agentCommand(), transport, main, 0)) {
            String notStarted = awaitReady(agent);
            if (notStarted != null) {
                // Rows 1 to 3, 12 and 13 share this agent: they fail alike.
                rows.add(Row.failed(1, ExecLatency.MEASUREMENT, ExecLatency.TARGET_TEXT, notStarted));
                rows.add(Row.failed(2, "stream throughput", Throughput.TARGET_TEXT, notStarted));
                rows.add(Row.failed(3, "stdin throughput", Throughput.TARGET_TEXT, notStarted));
                rows.add(Row.failed(12, "copy throughput in", Throughput.TARGET_TEXT, notStarted));
                rows.add(Row.failed(13, "copy throughput out", Throughput.TARGET_TEXT, notStarted));
            } else {
                VsockExecClient client = VsockExecClient.of(agent.endpoint());
                rows.add(step(config, filter, 1, ExecLatency.MEASUREMENT, ExecLatency.TARGET_TEXT,
                        () -> ExecLatency.measure(client, sizes, transport)));
                rows.add(step(config, filter, 2, "stream throughput", Throughput.TARGET_TEXT,
                        () -> Throughput.stream(client, sizes, transport, main)));
                rows.add(step(config, filter, 3, "stdin throughput", Throughput.TARGET_TEXT,
                        () -> Throughput.stdin(client, sizes, transport, main)));
                rows.add(step(config, filter, 12, "copy throughput in", Throughput.TARGET_TEXT,
                        () -> CopyThroughput.in(client, sizes, transport, main)));
                rows.add(step(config, filter, 13, "copy throughput out", Throughput.TARGET_TEXT,
                        () -> CopyThroughput.out(client, sizes, transport, main)));
            }
        }
        // A fresh agent, so that its peak memory is this row's alone.
        Path many = Files.createDirectories(dir.resolve("concurrent"));
        rows.add(step(config, filter, 4, "concurrent streaming sessions", Concurrency.TARGET_TEXT, () -> {
            try (AgentProcess agent = AgentProcess.start(config.agentCommand(), transport, many,
                    Concurrency.maxSessions(sizes))) {
                agent.awaitReady();
                return Concurrency.measure(VsockExecClient.of(agent.endpoint()), agent, sizes);
            }
        }));
        // Cold starts after the others: this JVM's client code is compiled by then, so rows 5, 6
        // and 8 time the agent and the command line rather than the benchmark's own warm-up.
        rows.add(step(config, filter, 5, "agent cold start", ColdStart.READY_TARGET_TEXT,
                () -> ColdStart.ready(config.agentCommand(), sizes, transport, dir)));
        rows.add(step(config, filter, 6, "first exec after agent start", ColdStart.FIRST_EXEC_TARGET_TEXT,
                () -> ColdStart.firstExec(config.agentCommand(), sizes, transport, dir)));
        rows.add(step(config, filter, 8, CliStart.MEASUREMENT, CliStart.TARGET_TEXT,
                () -> CliStart.measure(config.cliCommand(), config.agentCommand(), sizes, transport, dir)));
        rows.add(step(config, filter, ForwardThroughput.ROW, ForwardThroughput.MEASUREMENT, Throughput.TARGET_TEXT,
                () -> ForwardThroughput.measure(config.cliCommand(), config.agentCommand(), sizes, transport,
                        Files.createDirectories(dir.resolve("forward")))));
        rows.add(step(config, filter, BigCopy.ROW, BigCopy.MEASUREMENT, BigCopy.TARGET_TEXT,
                () -> BigCopy.measure(config.cliCommand(), config.agentCommand(), sizes, transport,
                        Files.createDirectories(dir.resolve("big-copy")))));
        rows.add(step(config, filter, 7, "codec", CodecCost.TARGET_TEXT, () -> CodecCost.measure(sizes)));
        Path abused = Files.createDirectories(dir.resolve("abuse"));
        rows.add(step(config, filter, 10, AbuseRow.MEASUREMENT, AbuseRow.TARGET_TEXT,
                () -> AbuseRow.measure(config.agentCommand(), transport, abused, sizes.abuse(), config.progress())));
        if (sizes.vm()) {
            rows.add(step(config, filter, 9, VmBench.MEASUREMENT, VmBench.TARGET_TEXT,
                    () -> VmBench.row(9, VmBench.EXECS, VmBench.STREAM_MIB)));
        }
        // A row left out by the internal VSOCKEXEC_BENCH_ROWS (see RowFilter) was not run: step gave null.
        return new ResultTable(rows.stream().filter(Objects::nonNull).toList());
    }

    /** Null once the agent is ready, else why it is not. */
    private static String awaitReady(AgentProcess agent) {
        try {
            agent.awaitReady();
            return null;
        } catch (IOException e) {
            return "the agent did not start: " + e.getMessage();
        }
    }

    /** Runs a step: its row, a FAIL row with the reason, or null if the filter leaves it out. */
    private static Row step(Config config, RowFilter filter, int number, String measurement, String target,
            Step step) {
        if (!filter.includes(number)) {
            return null;
        }
        config.progress().accept("bench: row " + number + ": " + measurement + " ...");
        try {
            Row row = step.run();
            config.progress().accept("bench: row " + number + ": " + row.figure() + " -> " + row.verdict().label());
            return row;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Row.failed(number, measurement, target, "interrupted");
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            config.progress().accept("bench: row " + number + " failed: " + reason);
            return Row.failed(number, measurement, target, reason);
        }
    }

    /** Removes a temporary directory and what it holds; quietly, as a leftover is not worth a failure. */
    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing the run for.
        }
    }
}
