package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.ProcStat;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Signals for process groups other than a {@link ChildProcess}'s own: the foreground job of a
 * terminal, or every group of a terminal session (a shell's background jobs each lead a group of
 * their own). Group ids are numbers, not handles: once every member of a group has been reaped,
 * the kernel may reuse the id, so signal a group while it is known to be in use.
 */
public final class ProcessGroups {
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
        Signals.check(signal);
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
     * The ids of the process groups that have a live (not zombie) member in session {@code sid},
     * in no particular order, read from {@code /proc}. Processes that exit while the list is read
     * may be missing; new ones may appear after.
     */
    public static List<Integer> inSession(int sid) throws IOException {
        return live(stats -> stats.filter(stat -> stat.session() == sid).map(ProcStat::pgrp).distinct().toList());
    }

    /**
     * True if a process of group {@code pgrp} is alive, read from {@code /proc}. Unlike a signal
     * 0, this does not count zombies: exited processes that their parent (perhaps an init that
     * reaps slowly) has not collected yet.
     */
    public static boolean hasLiveMember(int pgrp) throws IOException {
        return live(stats -> stats.anyMatch(stat -> stat.pgrp() == pgrp));
    }

    /** Applies {@code query} to the live processes while /proc is open, so it can stop early. */
    private static <T> T live(Function<Stream<ProcStat>, T> query) throws IOException {
        return ProcStat.scan(stats -> query.apply(stats.filter(stat -> !stat.isZombie())));
    }
}
