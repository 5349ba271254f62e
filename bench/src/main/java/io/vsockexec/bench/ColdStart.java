package io.vsockexec.bench;

import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.VsockExecClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows 5 and 6: fresh agent processes, timed from just before the process starts until the
 * readiness endpoint accepts (row 5; then, a moment later, the idle resident memory) or until the
 * first exec's result has arrived (row 6). Each start follows a run of the JVM floor
 * ({@link JvmFloor}), so that both see the same machine; the target is the ratio of the medians.
 * Absolute start-up times move between days and machines, the ratio to the JVM's own much less.
 */
final class ColdStart {
    static final double READY_RATIO = 2.5;
    static final long IDLE_RSS_LIMIT_KIB = 48 * 1024;
    static final double FIRST_EXEC_RATIO = 4.0;
    static final String READY_TARGET_TEXT = "ratio <= " + READY_RATIO + "; idle RSS <= "
            + Figures.size(IDLE_RSS_LIMIT_KIB * 1024);
    static final String FIRST_EXEC_TARGET_TEXT = "ratio <= " + FIRST_EXEC_RATIO;
    /** When the memory right after start-up is read: a moment after readiness. */
    static final Duration MOMENT = Duration.ofMillis(500);

    private ColdStart() {}

    /** Row 5: every start's time to ready; the memory of the first start, a moment after and once idle. */
    static Row ready(List<String> agentCommand, BenchSizes sizes, BenchTransport transport, Path dir)
            throws IOException, InterruptedException {
        List<String> floor = Launch.floor(Files.createDirectories(dir.resolve("floor-5")));
        List<Launch.Run> floorRuns = new ArrayList<>();
        long[] ready = new long[sizes.coldStarts()];
        long momentKib = 0;
        long idleKib = 0;
        for (int i = 0; i < sizes.coldStarts(); i++) {
            floorRuns.add(Launch.run(floor));
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
        long floorMedian = Launch.median(floorRuns).wallNanos();
        double ratio = (double) Figures.median(ready) / floorMedian;
        String figure = "start to ready: " + medianAndMax(ready) + "; RSS " + Figures.kibAsMib(momentKib) + " "
                + MOMENT.toMillis() + " ms after ready, idle " + Figures.kibAsMib(idleKib) + " ("
                + Figures.duration(sizes.idleAfter().toNanos()) + " after)";
        Verdict verdict = Verdict.all(Verdict.atMost(ratio, READY_RATIO), Verdict.atMost(idleKib, IDLE_RSS_LIMIT_KIB));
        return new Row(5, "agent cold start: process start to readiness endpoint accepting; idle RSS",
                figure, floorText(floorMedian), Figures.ratio(ratio), READY_TARGET_TEXT, verdict);
    }

    /** Row 6. */
    static Row firstExec(List<String> agentCommand, BenchSizes sizes, BenchTransport transport, Path dir)
            throws IOException, InterruptedException {
        List<String> floor = Launch.floor(Files.createDirectories(dir.resolve("floor-6")));
        List<Launch.Run> floorRuns = new ArrayList<>();
        long[] first = new long[sizes.coldStarts()];
        Command command = Command.argv(ExecLatency.ARGV);
        for (int i = 0; i < sizes.coldStarts(); i++) {
            floorRuns.add(Launch.run(floor));
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
        long floorMedian = Launch.median(floorRuns).wallNanos();
        double ratio = (double) Figures.median(first) / floorMedian;
        return new Row(6, "first exec after agent start: process start to first ExecResult", medianAndMax(first),
                floorText(floorMedian), Figures.ratio(ratio), FIRST_EXEC_TARGET_TEXT,
                Verdict.atMost(ratio, FIRST_EXEC_RATIO));
    }

    /** {@code JVM floor: median 31 ms}: the baseline cell of the start-up rows. */
    static String floorText(long floorMedianNanos) {
        return "JVM floor (one class printing a line, default settings): median " + Figures.millis(floorMedianNanos);
    }

    /** {@code median 183 ms (n=5, max 190 ms)}. */
    private static String medianAndMax(long[] nanos) {
        return "median " + Figures.millis(Figures.median(nanos)) + " (n=" + nanos.length + ", max "
                + Figures.millis(Figures.percentile(nanos, 100)) + ")";
    }
}
