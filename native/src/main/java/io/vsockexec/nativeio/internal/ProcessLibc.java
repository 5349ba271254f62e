package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;

/**
 * The libc calls behind pipes, pseudo-terminals, signals and reaping. Like {@link Libc}, every
 * wrapper returns its result when non-negative and {@code -errno} on failure. All of them return
 * at once (the wait calls are only ever made with {@code WNOHANG}), so they are bound as critical
 * calls on heap memory. Spawning itself is in {@link PosixSpawn}, user lookups in {@link UserDb}.
 */
public final class ProcessLibc {
    // Values shared by x86_64 and aarch64 Linux (asm-generic numbering for the newer syscalls).
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETPIPE_SZ = 1031;
    public static final long TIOCGPGRP = 0x540F;
    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCSWINSZ = 0x5414;
    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WNOHANG = 1;
    public static final int WEXITED = 4;
    public static final int WNOWAIT = 0x01000000;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;

    /** siginfo_t is 128 bytes on every Linux architecture; these are its SIGCHLD fields, as int indexes. */
    public static final int SIGINFO_INTS = 32;
    public static final int SI_CODE = 2;
    public static final int SI_PID = 4;
    public static final int SI_STATUS = 6;

    // Each function is a symbol and its C signature, called through the shared shapes (Shapes).
    private static final CriticalFunction PIPE2 = Native.critical("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final CriticalFunction POSIX_OPENPT = Native.critical("posix_openpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final CriticalFunction GRANTPT = Native.critical("grantpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final CriticalFunction UNLOCKPT = Native.critical("unlockpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // Returns an error number itself rather than -1 and errno.
    private static final CriticalFunction PTSNAME_R = Native.criticalWithoutErrno("ptsname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final CriticalFunction KILL = Native.critical("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final CriticalFunction WAITID = Native.critical("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // syscall(2) is variadic and reads every argument as a long.
    private static final CriticalFunction SYSCALL4 = Native.critical("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final CriticalFunction PRCTL = Native.critical("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final CriticalFunction PRCTL_POINTER = Native.critical("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.firstVariadicArg(1));
    private static final CriticalFunction GETEUID = Native.criticalWithoutErrno("geteuid",
            FunctionDescriptor.of(JAVA_INT));

    private static final CriticalFunction GETEGID = Native.criticalWithoutErrno("getegid",
            FunctionDescriptor.of(JAVA_INT));
    private ProcessLibc() {}

    /** pipe2(2) into {@code fds} (read end, write end); returns 0 or -errno. */
    public static int pipe2(int[] fds, int flags) {
        return (int) PIPE2.call(MemorySegment.ofArray(fds), word(flags));
    }

    /** posix_openpt(3); returns the master descriptor or -errno. */
    public static int posixOpenpt(int flags) {
        return (int) POSIX_OPENPT.call(word(flags));
    }

    public static int grantpt(int fd) {
        return (int) GRANTPT.call(word(fd));
    }

    public static int unlockpt(int fd) {
        return (int) UNLOCKPT.call(word(fd));
    }

    /** ptsname_r(3) into {@code buf} as a NUL-terminated string; returns 0 or -errno. */
    public static int ptsname(int fd, byte[] buf) {
        return (int) -PTSNAME_R.call(word(fd), MemorySegment.ofArray(buf), word(buf.length));
    }

    /** kill(2); a negative {@code pid} names a process group. Returns 0 or -errno. */
    public static int kill(int pid, int signal) {
        return (int) KILL.call(word(pid), word(signal));
    }

    /**
     * waitid(2) into {@code info} ({@link #SIGINFO_INTS} ints). Only for {@code WNOHANG}: the call is
     * critical and must not block. Returns 0 or -errno; with nothing to report it returns 0 and
     * leaves {@code info[SI_PID]} zero, so pass a zeroed array.
     */
    public static int waitid(int idType, int id, int[] info, int options) {
        if ((options & WNOHANG) == 0) {
            throw new IllegalArgumentException("waitid without WNOHANG would block: options " + options);
        }
        return (int) WAITID.call(word(idType), word(id), MemorySegment.ofArray(info), word(options));
    }

    /** pidfd_open(2) (Linux 5.3); returns a close-on-exec descriptor that reads as ready once {@code pid} exits. */
    public static int pidfdOpen(int pid) {
        return (int) SYSCALL4.call(word(SYS_PIDFD_OPEN), word(pid), word(0), word(0), word(0));
    }

    /** pidfd_send_signal(2) (Linux 5.1): cannot hit a recycled pid. Returns 0 or -errno. */
    public static int pidfdSendSignal(int pidfd, int signal) {
        return (int) SYSCALL4.call(word(SYS_PIDFD_SEND_SIGNAL), word(pidfd), word(signal), word(0), word(0));
    }

    /** prctl(2) with one integer argument; returns the result or -errno. */
    public static int prctl(int option, long arg) {
        return (int) PRCTL.call(word(option), word(arg));
    }

    /** prctl(2) for the options that store an int through their argument; returns that int or -errno. */
    public static int prctlGetInt(int option) {
        int[] value = new int[1];
        int rc = (int) PRCTL_POINTER.call(word(option), MemorySegment.ofArray(value));
        return rc < 0 ? rc : value[0];
    }

    /** geteuid(2); cannot fail. */
    public static int geteuid() {
        return (int) GETEUID.call();
    }

    /** getegid(2); cannot fail. */
    public static int getegid() {
        return (int) GETEGID.call();
    }
}
