package io.vsockexec.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole-process runs, timed: a command started as a user's shell would start it (the launcher
 * checks its build as it always does), run to its end with no input and its output dropped, and
 * its wall time and CPU time. The CPU time is what the kernel adds to this process's
 * children's times when the child is reaped ({@code cutime} and {@code cstime} in
 * {@code /proc/self/stat}), so it counts every thread of the child, the JVM's own included, at the
 * kernel's clock-tick resolution.
 */
final class Launch {
    /** Linux's clock ticks per second (USER_HZ) for {@code /proc} times. */
    private static final long TICKS_PER_SECOND = 100;
    private static final long LIMIT_SECONDS = 60;

    /** One run: its wall and CPU time in nanoseconds. */
    record Run(long wallNanos, long cpuNanos) {}

    private Launch() {}

    /**
     * Runs {@code command} to its end; it must exit 0.
     *
     * @throws IOException if it exits otherwise or runs a minute, with its status and the end of its output
     */
    static Run run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("vsockexec-bench-run-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true);
            long cpuBefore = childrenCpuNanos();
            long start = System.nanoTime();
            Process p = builder.start();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", command) + " ran over " + LIMIT_SECONDS + " s");
            }
            long wall = System.nanoTime() - start;
            long cpu = childrenCpuNanos() - cpuBefore;
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + tail(output));
            }
            return new Run(wall, cpu);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The floor command: {@code java} (this JVM's, with default settings) and {@link JvmFloor},
     * copied alone into {@code dir}.
     */
    static List<String> floor(Path dir) throws IOException {
        String resource = JvmFloor.class.getSimpleName() + ".class";
        Path classFile = dir.resolve(JvmFloor.class.getPackageName().replace('.', '/')).resolve(resource);
        Files.createDirectories(classFile.getParent());
        try (InputStream in = JvmFloor.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            Files.copy(in, classFile);
        }
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", dir.toString(),
                JvmFloor.class.getName());
    }

    /** The medians of {@code runs}' wall and CPU times. */
    static Run median(List<Run> runs) {
        long[] wall = new long[runs.size()];
        long[] cpu = new long[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            wall[i] = runs.get(i).wallNanos();
            cpu[i] = runs.get(i).cpuNanos();
        }
        return new Run(Figures.median(wall), Figures.median(cpu));
    }

    /** The CPU time of this process's reaped children so far, in nanoseconds. */
    static long childrenCpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // After the command name in parentheses: field 3 (state) first, so cutime (16) and cstime (17) are 13 and 14.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    private static String tail(Path output) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(output));
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
