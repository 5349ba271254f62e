package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.ProcStat;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Processes by number, as {@code /proc} shows them: a process's start time, its descendants, and
 * a signal to one of them. Numbers are reused once a process is reaped; a number with its
 * {@linkplain #startTime start time} names one process for good.
 */
public final class ProcessTree {
    private ProcessTree() {}

    /** A live process: its number and start time (clock ticks after boot). */
    public record ProcessId(int pid, long startTime) {}

    /** The start time of process {@code pid}, in clock ticks after boot; -1 if there is no such process. */
    public static long startTime(int pid) throws IOException {
        try {
            return ProcStat.of(pid).startTime();
        } catch (NoSuchFileException gone) {
            return -1;
        }
    }

    /**
     * The live (not zombie) descendants of {@code pid}: its children, theirs, and so on, read from
     * {@code /proc} in one scan. A process whose parent exited before the scan has a new parent
     * (PID 1 or a subreaper) and is not among them.
     */
    public static List<ProcessId> descendantsOf(int pid) throws IOException {
        Map<Integer, List<ProcStat>> children = ProcStat.scan(stats -> {
            Map<Integer, List<ProcStat>> byParent = new HashMap<>();
            stats.filter(s -> !s.isZombie()).forEach(s -> byParent.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s));
            return byParent;
        });
        List<ProcessId> found = new ArrayList<>();
        Deque<Integer> parents = new ArrayDeque<>(List.of(pid));
        while (!parents.isEmpty()) {
            for (ProcStat child : children.getOrDefault(parents.removeFirst(), List.of())) {
                found.add(new ProcessId(child.pid(), child.startTime()));
                parents.add(child.pid());
            }
        }
        return found;
    }

    /**
     * Sends {@code signal} to process {@code pid}, if it is still the process that started at
     * {@code startTime} (a negative start time skips that check).
     *
     * @return false if there is no such process (any more)
     */
    public static boolean signal(int pid, long startTime, int signal) throws IOException {
        Signals.check(signal);
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        if (startTime >= 0 && startTime(pid) != startTime) {
            return false;
        }
        int rc = ProcessLibc.kill(pid, signal);
        if (rc == -Errno.ESRCH) {
            return false;
        }
        return ErrnoException.check(rc, "signal", "process " + pid + " with " + Signals.name(signal)) == 0;
    }
}
