package io.vsockexec.nativeio.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * How this package binds C functions: the one place that talks to {@link Linker}.
 *
 * <p>Functions that report failure through {@code errno} are bound with
 * {@link Linker.Option#captureCallState}, so errno is read from a segment owned by the call
 * itself, never from a shared static: another thread (or the JVM) cannot overwrite it between
 * the call and the check.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Native() {}

    /** Binds a libc function that does not set errno. */
    public static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Binds a libc function that sets errno on failure. The handle takes an extra first argument:
     * a call-state segment from {@link #callState(Arena)}.
     */
    public static MethodHandle errnoFunction(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return function(name, descriptor, all);
    }

    /**
     * Binds a short, never-blocking libc function that sets errno, as a critical call: it may
     * read and write Java arrays directly (no copy) and its call state may be a heap segment
     * from {@link #heapCallState()}. Only for calls on non-blocking descriptors and other
     * calls that return at once.
     */
    public static MethodHandle criticalErrnoFunction(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.critical(true);
        return errnoFunction(name, descriptor, all);
    }

    /** A fresh call state on the Java heap, for critical calls only; one per call. */
    public static MemorySegment heapCallState() {
        return MemorySegment.ofArray(new int[(int) (CALL_STATE.byteSize() / Integer.BYTES)]);
    }

    /** Allocates the segment that receives errno for one call. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno captured by the call that was given {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** A call's result, or {@code -errno} when it reported failure with a negative result. */
    public static int resultOrErrno(int rc, MemorySegment state) {
        return rc < 0 ? -errno(state) : rc;
    }

    /** A call's result, or {@code -errno} when it reported failure with a negative result. */
    public static long resultOrErrno(long rc, MemorySegment state) {
        return rc < 0 ? -errno(state) : rc;
    }

    /** Turns a Throwable thrown by {@code invokeExact} into an unchecked error; downcalls do not throw. */
    public static AssertionError unexpected(Throwable t) {
        return new AssertionError("native call failed unexpectedly", t);
    }
}
