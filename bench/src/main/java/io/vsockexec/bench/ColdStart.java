package io.vsockexec.bench;

import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.VsockExecClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Rows 5 and 6: fresh agent processes, timed from just before the process starts until the
 * readiness endpoint accepts (row 5; then, a moment later, the idle resident memory) or until the
 * first exec's result has arrived (row 6). The median of several starts.
 */
final class ColdStart {
    static final long READY_LIMIT_MS = 200;
    static final long IDLE_RSS_LIMIT_KIB = 48 * 1024;
    static final long FIRST_EXEC_LIMIT_MS = 400;
    /** How long after readiness the idle memory is read: what start-up left behind, settled. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private ColdStart() {}

    /** Row 5. */
    static Row ready(List<String> agentCommand, BenchSizes sizes, BenchTransport transport, Path dir)
            throws IOException, InterruptedException {
        long[] ready = new long[sizes.coldStarts()];
        long[] rss = new long[sizes.coldStarts()];
        for (int i = 0; i < sizes.coldStarts(); i++) {
            Path run = Files.createDirectories(dir.resolve("cold-" + i));
            try (AgentProcess agent = AgentProcess.start(agentCommand, transport.endpoints(run, "agent"), 0,
                    run.resolve("agent.log"))) {
                ready[i] = agent.awaitReady();
                Thread.sleep(SETTLE);
                rss[i] = agent.rssKib();
            }
        }
        long readyMedian = Figures.median(ready);
        long rssMedian = Figures.median(rss);
        String figure = "start to ready: median " + Figures.millis(readyMedian) + " (n=" + sizes.coldStarts()
                + ", max " + Figures.millis(max(ready)) + "); idle RSS " + Figures.kibAsMib(rssMedian);
        Verdict verdict = Verdict.all(Verdict.atMost(readyMedian / 1e6, READY_LIMIT_MS),
                Verdict.atMost(rssMedian, IDLE_RSS_LIMIT_KIB));
        return new Row(5, "agent cold start: process start to readiness endpoint accepting; idle RSS after",
                figure, Row.NONE, Row.NONE, "<= " + READY_LIMIT_MS + " ms; <= 48 MiB", verdict);
    }

    /** Row 6. */
    static Row firstExec(List<String> agentCommand, BenchSizes sizes, BenchTransport transport, Path dir)
            throws IOException {
        long[] first = new long[sizes.coldStarts()];
        Command command = Command.argv(ExecLatency.ARGV);
        for (int i = 0; i < sizes.coldStarts(); i++) {
            Path run = Files.createDirectories(dir.resolve("first-" + i));
            try (AgentProcess agent = AgentProcess.start(agentCommand, transport.endpoints(run, "agent"), 0,
                    run.resolve("agent.log"))) {
                agent.awaitReady();
                ExecResult r = VsockExecClient.of(agent.endpoint()).exec(command);
                first[i] = System.nanoTime() - agent.startNanos();
                if (r.exitCode() != 0) {
                    throw new IOException("the first exec exited " + r.exitCode() + ": " + r.stderrText());
                }
            }
        }
        long median = Figures.median(first);
        String figure = "median " + Figures.millis(median) + " (n=" + sizes.coldStarts() + ", max "
                + Figures.millis(max(first)) + ")";
        return new Row(6, "first exec after agent start: process start to first ExecResult", figure, Row.NONE,
                Row.NONE, "<= " + FIRST_EXEC_LIMIT_MS + " ms", Verdict.atMost(median / 1e6, FIRST_EXEC_LIMIT_MS));
    }

    private static long max(long[] values) {
        long m = Long.MIN_VALUE;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
