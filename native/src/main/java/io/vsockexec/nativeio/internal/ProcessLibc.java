package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

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

    // Each function is bound in a holder class of its own, on first use: binding builds a
    // downcall stub and its method-handle classes, which costs milliseconds each, and an
    // agent that starts only needs a handful of them. A static final handle still
    // constant-folds once its holder is initialized.
    private static final class Pipe2 {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("pipe2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class PosixOpenpt {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("posix_openpt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Grantpt {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("grantpt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Unlockpt {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("unlockpt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    // Returns an error number itself rather than -1 and errno.
    private static final class PtsnameR {
        static final MethodHandle HANDLE = Native.function("ptsname_r",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG), Linker.Option.critical(true));
    }

    private static final class Kill {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("kill",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Waitid {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("waitid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    // syscall(2) is variadic and reads every argument as a long.
    private static final class Syscall2 {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    }

    private static final class Syscall4 {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    }

    private static final class PrctlLong {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("prctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    }

    private static final class PrctlPtr {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("prctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.firstVariadicArg(1));
    }

    private static final class Geteuid {
        static final MethodHandle HANDLE = Native.function("geteuid",
                FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Getegid {
        static final MethodHandle HANDLE = Native.function("getegid",
                FunctionDescriptor.of(JAVA_INT));
    }

    private ProcessLibc() {}

    /** pipe2(2) into {@code fds} (read end, write end); returns 0 or -errno. */
    public static int pipe2(int[] fds, int flags) {
        try {
            return (int) Pipe2.HANDLE.invokeExact(MemorySegment.ofArray(fds), flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** posix_openpt(3); returns the master descriptor or -errno. */
    public static int posixOpenpt(int flags) {
        return intCall(PosixOpenpt.HANDLE, flags);
    }

    public static int grantpt(int fd) {
        return intCall(Grantpt.HANDLE, fd);
    }

    public static int unlockpt(int fd) {
        return intCall(Unlockpt.HANDLE, fd);
    }

    /** ptsname_r(3) into {@code buf} as a NUL-terminated string; returns 0 or -errno. */
    public static int ptsname(int fd, byte[] buf) {
        try {
            int error = (int) PtsnameR.HANDLE.invokeExact(fd, MemorySegment.ofArray(buf), (long) buf.length);
            return -error;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** kill(2); a negative {@code pid} names a process group. Returns 0 or -errno. */
    public static int kill(int pid, int signal) {
        try {
            return (int) Kill.HANDLE.invokeExact(pid, signal);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
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
        try {
            return (int) Waitid.HANDLE.invokeExact(idType, id, MemorySegment.ofArray(info), options);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pidfd_open(2) (Linux 5.3); returns a close-on-exec descriptor that reads as ready once {@code pid} exits. */
    public static int pidfdOpen(int pid) {
        try {
            return (int) (long) Syscall2.HANDLE.invokeExact(SYS_PIDFD_OPEN, (long) pid, 0L);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pidfd_send_signal(2) (Linux 5.1): cannot hit a recycled pid. Returns 0 or -errno. */
    public static int pidfdSendSignal(int pidfd, int signal) {
        try {
            return (int) (long) Syscall4.HANDLE.invokeExact(SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signal,
                    0L, 0L);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** prctl(2) with one integer argument; returns the result or -errno. */
    public static int prctl(int option, long arg) {
        try {
            return (int) PrctlLong.HANDLE.invokeExact(option, arg);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** prctl(2) for the options that store an int through their argument; returns that int or -errno. */
    public static int prctlGetInt(int option) {
        int[] value = new int[1];
        try {
            int rc = (int) PrctlPtr.HANDLE.invokeExact(option, MemorySegment.ofArray(value));
            return rc < 0 ? rc : value[0];
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** geteuid(2); cannot fail. */
    public static int geteuid() {
        try {
            return (int) Geteuid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getegid(2); cannot fail. */
    public static int getegid() {
        try {
            return (int) Getegid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static int intCall(MethodHandle h, int arg) {
        try {
            return (int) h.invokeExact(arg);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
