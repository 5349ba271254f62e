package io.vsockexec.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A process's open descriptors and its limit on them, as {@code /proc} shows and {@code prlimit} sets them. */
final class Descriptors {
    private Descriptors() {}

    /** How many descriptors process {@code pid} has open now. */
    static int count(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    /**
     * How many descriptors process {@code pid} has open once the count holds still for a moment:
     * a connection that was just answered (a readiness probe) may still be closing.
     */
    static int settled(long pid) throws IOException, InterruptedException {
        int count = count(pid);
        while (true) {
            Thread.sleep(200);
            int again = count(pid);
            if (again == count) {
                return count;
            }
            count = again;
        }
    }

    /** The soft limit on open files of process {@code pid}, from {@code /proc/PID/limits}. */
    static long softLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no open files limit for process " + pid);
    }

    /** Sets the soft limit on open files of process {@code pid}, as an operator would: {@code prlimit}. */
    static void setSoftLimit(long pid, long soft) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", String.valueOf(pid), "--nofile=" + soft + ":")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("prlimit --pid " + pid + " --nofile=" + soft + ": failed: " + out);
        }
    }
}
