package io.vsockexec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 8: the command line as scripts run it, whole process and exit included: {@code vsockexec
 * exec --connect ENDPOINT -- true} against a running agent, and {@code vsockexec --version}, each
 * against the JVM floor ({@link JvmFloor}). The three alternate, one run each, so that all see the
 * same machine; the targets are ratios of the median wall times. CPU times are reported beside.
 */
final class CliStart {
    static final double EXEC_RATIO = 2.0;
    static final double VERSION_RATIO = 1.5;
    static final String MEASUREMENT = "command line, whole process: `exec --connect ENDPOINT -- true`; `--version`";
    static final String TARGET_TEXT = "exec ratio <= " + EXEC_RATIO + "; --version ratio <= " + VERSION_RATIO;

    private CliStart() {}

    /**
     * Row 8.
     *
     * @param cliCommand how users run the command line: the launcher, without arguments
     */
    static Row measure(List<String> cliCommand, List<String> agentCommand, BenchSizes sizes,
            BenchTransport transport, Path dir) throws IOException, InterruptedException {
        List<String> floor = Launch.floor(Files.createDirectories(dir.resolve("floor-8")));
        Path run = Files.createDirectories(dir.resolve("cli"));
        try (AgentProcess agent = AgentProcess.start(agentCommand, transport, run, 0)) {
            agent.awaitReady();
            List<String> exec = with(cliCommand, "exec", "--connect", agent.endpoint().toString(), "--", "true");
            List<String> version = with(cliCommand, "--version");
            // One run of each first: the files they read are then in the page cache for every sample.
            Launch.run(floor);
            Launch.run(exec);
            Launch.run(version);
            List<Launch.Run> floorRuns = new ArrayList<>();
            List<Launch.Run> execRuns = new ArrayList<>();
            List<Launch.Run> versionRuns = new ArrayList<>();
            for (int i = 0; i < sizes.cliStarts(); i++) {
                floorRuns.add(Launch.run(floor));
                execRuns.add(Launch.run(exec));
                versionRuns.add(Launch.run(version));
            }
            return row(Launch.median(floorRuns), Launch.median(execRuns), Launch.median(versionRuns),
                    sizes.cliStarts());
        }
    }

    private static Row row(Launch.Run floor, Launch.Run exec, Launch.Run version, int n) {
        double execRatio = (double) exec.wallNanos() / floor.wallNanos();
        double versionRatio = (double) version.wallNanos() / floor.wallNanos();
        String figure = "exec: median " + times(exec) + "; --version: median " + times(version) + " (n=" + n + ")";
        String baseline = "JVM floor (one class printing a line, default settings): median " + times(floor);
        String ratio = "exec " + Figures.ratio(execRatio) + "; --version " + Figures.ratio(versionRatio);
        Verdict verdict = Verdict.all(Verdict.atMost(execRatio, EXEC_RATIO), Verdict.atMost(versionRatio, VERSION_RATIO));
        return new Row(8, MEASUREMENT, figure, baseline, ratio, TARGET_TEXT, verdict);
    }

    /** {@code 48 ms wall, 60 ms CPU}. */
    private static String times(Launch.Run run) {
        return Figures.millis(run.wallNanos()) + " wall, " + Figures.millis(run.cpuNanos()) + " CPU";
    }

    private static List<String> with(List<String> command, String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return all;
    }
}
