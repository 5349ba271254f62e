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
    static final String READY_TARGET_TEXT = "<= " + READY_LIMIT_MS + " ms; idle RSS <= "
            + Figures.size(IDLE_RSS_LIMIT_KIB * 1024);
    static final String FIRST_EXEC_TARGET_TEXT = "<= " + FIRST_EXEC_LIMIT_MS + " ms";
    /** When the memory right after start-up is read: a moment after readiness. */
    static final Duration MOMENT = Duration.ofMillis(500);

    private ColdStart() {}

    /** Row 5: every start's time to ready; the memory of the first start, a moment after and once idle. */
    static Row ready(List<String> agentCommand, BenchSizes sizes, BenchTransport transport, Path dir)
            throws IOException, InterruptedException {
        long[] ready = new long[sizes.coldStarts()];
        long momentKib = 0;
        long idleKib = 0;
        for (int i = 0; i < sizes.coldStarts(); i++) {
            Path run = Files.createDirectories(dir.resolve("cold-" + i));
            try (AgentProcess agent = AgentProcess.start(agentCommand, transport, run, 0)) {
                ready[i] = agent.awaitReady();
                if (i == 0) {
                    // The JIT's start-up arenas go back to a pool emptied every 5 s; the launcher's
                    // -XX:TrimNativeHeapInterval then returns the pages to the system.
                    Duration moment = MOMENT.compareTo(sizes.idleAfter()) < 0 ? MOMENT : sizes.idleAfter();
                    Thread.sleep(moment);
                    momentKib = agent.rssKib();
                    Thread.sleep(sizes.idleAfter().minus(moment));
                    idleKib = agent.rssKib();
                }
            }
        }
        String figure = "start to ready: " + medianAndMax(ready) + "; RSS " + Figures.kibAsMib(momentKib) + " "
                + MOMENT.toMillis() + " ms after ready, idle " + Figures.kibAsMib(idleKib) + " ("
                + Figures.duration(sizes.idleAfter().toNanos()) + " after)";
        Verdict verdict = Verdict.all(Verdict.atMost(Figures.median(ready) / 1e6, READY_LIMIT_MS),
                Verdict.atMost(idleKib, IDLE_RSS_LIMIT_KIB));
        return new Row(5, "agent cold start: process start to readiness endpoint accepting; idle RSS",
                figure, Row.NONE, Row.NONE, READY_TARGET_TEXT, verdict);
    }

    /** Row 6. */
    static Row firstExec(List<String> agentCommand, BenchSizes sizes, BenchTransport transport, Path dir)
            throws IOException {
        long[] first = new long[sizes.coldStarts()];
        Command command = Command.argv(ExecLatency.ARGV);
        for (int i = 0; i < sizes.coldStarts(); i++) {
            Path run = Files.createDirectories(dir.resolve("first-" + i));
            try (AgentProcess agent = AgentProcess.start(agentCommand, transport, run, 0)) {
                agent.awaitReady();
                ExecResult r = VsockExecClient.of(agent.endpoint()).exec(command);
                first[i] = System.nanoTime() - agent.startNanos();
                if (r.exitCode() != 0) {
                    throw new IOException("the first exec exited " + r.exitCode() + ": " + r.stderrText());
                }
            }
        }
        Verdict verdict = Verdict.atMost(Figures.median(first) / 1e6, FIRST_EXEC_LIMIT_MS);
        return new Row(6, "first exec after agent start: process start to first ExecResult", medianAndMax(first),
                Row.NONE, Row.NONE, FIRST_EXEC_TARGET_TEXT, verdict);
    }

    /** {@code median 183 ms (n=5, max 190 ms)}. */
    private static String medianAndMax(long[] nanos) {
        return "median " + Figures.millis(Figures.median(nanos)) + " (n=" + nanos.length + ", max "
                + Figures.millis(Figures.percentile(nanos, 100)) + ")";
    }
}
