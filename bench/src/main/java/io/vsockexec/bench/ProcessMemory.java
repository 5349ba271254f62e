package io.vsockexec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's memory as {@code /proc/PID/status} tells it: the one reader of it in the benchmark. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Resident memory now ({@code VmRSS}), in KiB. */
    public static long rssKib(long pid) throws IOException {
        return field(pid, "VmRSS");
    }

    /** Peak resident memory so far ({@code VmHWM}), in KiB. */
    public static long peakRssKib(long pid) throws IOException {
        return field(pid, "VmHWM");
    }

    private static long field(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(name + ":")) {
                String value = line.substring(name.length() + 1).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' ')));
            }
        }
        throw new IOException("no " + name + " in /proc/" + pid + "/status");
    }
}
