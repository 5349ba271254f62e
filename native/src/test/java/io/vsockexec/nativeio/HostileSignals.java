package io.vsockexec.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vsockexec.nativeio.internal.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Gives the calling platform thread the signal state an agent may inherit: one signal ignored
 * process-wide (as for a program started in the background by a shell) and one blocked on this
 * thread. {@link #close()} restores both exactly as they were.
 */
final class HostileSignals implements AutoCloseable {
    private static final MethodHandle SIGACTION = Native.function("sigaction",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle PTHREAD_SIGMASK = Native.function("pthread_sigmask",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final int SIG_BLOCK = 0;
    private static final int SIG_SETMASK = 2;
    private static final long SIG_IGN = 1;

    private final Arena arena = Arena.ofConfined();
    private final int ignored;
    private final MemorySegment oldAction = arena.allocate(256, 16);
    private final MemorySegment oldMask = arena.allocate(128, 16);

    private HostileSignals(int ignored) {
        this.ignored = ignored;
    }

    static HostileSignals ignoreAndBlock(int ignore, int block) throws Throwable {
        HostileSignals h = new HostileSignals(ignore);
        // struct sigaction begins with the handler on every glibc port; zero mask and flags.
        MemorySegment action = h.arena.allocate(256, 16);
        action.set(JAVA_LONG, 0, SIG_IGN);
        check((int) SIGACTION.invokeExact(ignore, action, h.oldAction), "sigaction");
        MemorySegment set = h.arena.allocate(128, 16);
        set.set(JAVA_LONG, 0, 1L << (block - 1));
        check((int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set, h.oldMask), "pthread_sigmask");
        return h;
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: " + rc);
        }
    }

    @Override
    public void close() {
        try {
            check((int) PTHREAD_SIGMASK.invokeExact(SIG_SETMASK, oldMask, MemorySegment.NULL), "pthread_sigmask");
            check((int) SIGACTION.invokeExact(ignored, oldAction, MemorySegment.NULL), "sigaction");
        } catch (Throwable t) {
            throw new AssertionError("could not restore the signal state", t);
        } finally {
            arena.close();
        }
    }
}
