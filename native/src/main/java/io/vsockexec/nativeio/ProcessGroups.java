package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Signals for process groups other than a {@link ChildProcess}'s own: the foreground job of a
 * terminal, or every group of a terminal session (a shell's background jobs each lead a group of
 * their own). Group ids are numbers, not handles: once every member of a group has been reaped,
 * the kernel may reuse the id, so signal a group while it is known to be in use.
 */
public final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {}

    /**
     * Sends {@code signal} to every process in group {@code pgrp}.
     *
     * @return false if no process is in the group
     * @throws IllegalArgumentException if {@code pgrp} is not positive or the signal is outside 0 to {@link Signals#MAX}
     */
    public static boolean signal(int pgrp, int signal) throws ErrnoException {
        if (pgrp <= 0) {
            throw new IllegalArgumentException("process group id must be positive: " + pgrp);
        }
        if (signal < 0 || signal > Signals.MAX) {
            throw new IllegalArgumentException("signal must be 0 to " + Signals.MAX + ": " + signal);
        }
        int rc = ProcessLibc.kill(-pgrp, signal);
        if (rc == -Errno.ESRCH) {
            return false;
        }
        if (rc < 0) {
            throw ErrnoException.of("signal", "process group " + pgrp + " with " + Signals.name(signal), -rc);
        }
        return true;
    }

    /**
     * The ids of the process groups that have a live member in session {@code sid}, in no
     * particular order, read from {@code /proc}. Processes that exit while the list is read may be
     * missing; new ones may appear after.
     */
    public static List<Integer> inSession(int sid) throws IOException {
        String wanted = String.valueOf(sid);
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(ProcessGroups::isPid)
                    .map(pid -> groupInSession(pid, wanted))
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Reads "pid (comm) state ppid pgrp session ..."; comm may contain anything, so split after its ')'. */
    private static Integer groupInSession(String pid, String sid) {
        try {
            String stat = Files.readString(PROC.resolve(pid).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
            boolean zombie = fields[0].equals("Z");
            return !zombie && fields[3].equals(sid) ? Integer.valueOf(fields[2]) : null;
        } catch (IOException | RuntimeException gone) {
            return null; // the process went away while we looked
        }
    }
}
