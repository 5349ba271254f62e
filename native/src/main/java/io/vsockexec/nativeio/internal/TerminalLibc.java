package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The libc calls behind the local terminal: {@code isatty}, {@code tcgetattr}, {@code tcsetattr}
 * and {@code cfmakeraw}. Like {@link Libc}, every wrapper returns its result when non-negative and
 * {@code -errno} on failure. All of them return at once ({@code tcsetattr} is only called with
 * {@link #TCSANOW}, which does not wait for output to drain), so they are bound as critical calls
 * on heap memory.
 */
public final class TerminalLibc {
    /** {@code tcsetattr} action: apply the change immediately. */
    public static final int TCSANOW = 0;
    /**
     * {@code struct termios} is 60 bytes in glibc on x86_64 and aarch64; callers keep it in an
     * int array of this length (64 bytes), which leaves room and keeps the struct aligned.
     */
    public static final int TERMIOS_INTS = 16;

    // Why it is not a terminal (errno) is of no use to anyone here.
    private static final CriticalFunction ISATTY = Native.criticalWithoutErrno("isatty",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final CriticalFunction TCGETATTR = Native.critical("tcgetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final CriticalFunction TCSETATTR = Native.critical("tcsetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final CriticalFunction CFMAKERAW = Native.criticalWithoutErrno("cfmakeraw",
            FunctionDescriptor.ofVoid(ADDRESS));

    private TerminalLibc() {}

    /** isatty(3): 1 if {@code fd} is a terminal, otherwise 0. */
    public static int isatty(int fd) {
        return (int) ISATTY.call(word(fd));
    }

    /** tcgetattr(3) into {@code termios} ({@link #TERMIOS_INTS} ints); returns 0 or -errno. */
    public static int tcgetattr(int fd, int[] termios) {
        checkLength(termios);
        return (int) TCGETATTR.call(word(fd), MemorySegment.ofArray(termios));
    }

    /** tcsetattr(3) from {@code termios}; returns 0 or -errno. */
    public static int tcsetattr(int fd, int action, int[] termios) {
        checkLength(termios);
        return (int) TCSETATTR.call(word(fd), word(action), MemorySegment.ofArray(termios));
    }

    /** cfmakeraw(3): turns the settings in {@code termios} into raw mode, in place. */
    public static void cfmakeraw(int[] termios) {
        checkLength(termios);
        CFMAKERAW.call(MemorySegment.ofArray(termios));
    }

    private static void checkLength(int[] termios) {
        if (termios.length != TERMIOS_INTS) {
            throw new IllegalArgumentException("termios buffer must be " + TERMIOS_INTS + " ints: " + termios.length);
        }
    }
}
