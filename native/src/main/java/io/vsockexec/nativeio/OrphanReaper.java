package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.ProcStat;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Reaps exited children that no {@link ChildProcess} owns: the orphans that the kernel hands to
 * PID 1, or to a process that made itself a {@linkplain #setChildSubreaper child subreaper}, when
 * their parent dies first. Call {@link #reapOrphans()} on SIGCHLD or periodically.
 *
 * <p>Children tracked by a live {@link ChildProcess} are never touched, so the two never steal
 * each other's exit status. <b>Caveat:</b> every other child of this JVM counts as an orphan,
 * including those started with {@link ProcessBuilder}, whose exit status the JDK would then lose.
 * Do not use ProcessBuilder in a JVM that reaps orphans; as PID 1 there is no choice but to reap.
 */
public final class OrphanReaper {
    private static final long SELF = ProcessHandle.current().pid();

    private OrphanReaper() {}

    /**
     * Makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER), or stops it being one:
     * orphaned descendants then become its children instead of PID 1's, and must be reaped here.
     */
    public static void setChildSubreaper(boolean enabled) throws ErrnoException {
        ErrnoException.check(ProcessLibc.prctl(ProcessLibc.PR_SET_CHILD_SUBREAPER, enabled ? 1 : 0),
                "prctl(PR_SET_CHILD_SUBREAPER)", String.valueOf(enabled));
    }

    /** True when this process is a child subreaper. */
    public static boolean isChildSubreaper() throws ErrnoException {
        return ErrnoException.check(ProcessLibc.prctlGetInt(ProcessLibc.PR_GET_CHILD_SUBREAPER),
                "prctl(PR_GET_CHILD_SUBREAPER)", null) != 0;
    }

    /**
     * Reaps every exited child that no {@link ChildProcess} tracks, without waiting.
     *
     * @return how many were reaped
     */
    public static int reapOrphans() throws IOException {
        Lock lock = Children.reaping();
        lock.lock();
        try {
            int reaped = 0;
            while (true) {
                int pid = peekExited();
                if (pid == 0) {
                    return reaped;
                }
                if (Children.isTracked(pid)) {
                    // waitid would report this one again and again; find the others through /proc.
                    return reaped + reapUntrackedZombies();
                }
                reaped += reap(pid);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The pid of some exited child, left unreaped (WNOWAIT); 0 if there is none. */
    private static int peekExited() throws ErrnoException {
        while (true) {
            int[] info = new int[ProcessLibc.SIGINFO_INTS];
            int rc = ProcessLibc.waitid(ProcessLibc.P_ALL, 0, info,
                    ProcessLibc.WEXITED | ProcessLibc.WNOHANG | ProcessLibc.WNOWAIT);
            if (rc == -Errno.ECHILD) {
                return 0;
            }
            if (rc == -Errno.EINTR) {
                continue;
            }
            if (rc < 0) {
                throw ErrnoException.of("waitid", "any child", -rc);
            }
            return info[ProcessLibc.SI_PID];
        }
    }

    private static int reap(int pid) throws ErrnoException {
        int[] info = new int[ProcessLibc.SIGINFO_INTS];
        int rc = ProcessLibc.waitid(ProcessLibc.P_PID, pid, info, ProcessLibc.WEXITED | ProcessLibc.WNOHANG);
        if (rc == -Errno.ECHILD) {
            return 0;
        }
        if (rc < 0) {
            throw ErrnoException.of("waitid", "process " + pid, -rc);
        }
        return info[ProcessLibc.SI_PID] == pid ? 1 : 0;
    }

    private static int reapUntrackedZombies() throws IOException {
        int reaped = 0;
        for (int pid : zombieChildren()) {
            if (!Children.isTracked(pid)) {
                reaped += reap(pid);
            }
        }
        return reaped;
    }

    /** The pids in /proc whose parent is this process and whose state is Z (exited, not reaped). */
    private static List<Integer> zombieChildren() throws IOException {
        return ProcStat.scan(stats -> stats.filter(s -> s.isZombie() && s.ppid() == SELF).map(ProcStat::pid).toList());
    }
}
