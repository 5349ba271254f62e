package io.vsockexec.nativeio.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * How this package binds C functions: the one place that talks to {@link Linker}.
 *
 * <p>Functions that report failure through {@code errno} are bound with
 * {@link Linker.Option#captureCallState}, so errno is read from a segment owned by the call
 * itself, never from a shared static: another thread (or the JVM) cannot overwrite it between
 * the call and the check. The handles these methods return do that check themselves: a call
 * returns its result when it is not negative and {@code -errno} when it failed, and a critical
 * call also makes its own call-state segment. So a wrapper is one {@code invokeExact} and
 * nothing else, and the hot path (EAGAIN on a non-blocking descriptor) throws nothing. The
 * adaptation is method-handle combinators on a constant handle, which the JIT inlines into the
 * caller like the code it replaces.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle HEAP_CALL_STATE;
    private static final MethodHandle INT_RESULT;
    private static final MethodHandle LONG_RESULT;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            HEAP_CALL_STATE = lookup.findStatic(Native.class, "heapCallState", MethodType.methodType(MemorySegment.class));
            INT_RESULT = lookup.findStatic(Native.class, "resultOrErrno",
                    MethodType.methodType(int.class, int.class, MemorySegment.class));
            LONG_RESULT = lookup.findStatic(Native.class, "resultOrErrno",
                    MethodType.methodType(long.class, long.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Native() {}

    /** Binds a libc function that does not set errno. */
    public static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Binds a libc function that sets errno and returns a negative {@code int} or {@code long} on
     * failure. The handle takes an extra first argument, the call state, a segment from
     * {@link #callState(Arena)} in native memory, and returns the result or {@code -errno}.
     */
    public static MethodHandle errnoFunction(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return returningErrno(function(name, descriptor, with(options, CAPTURE_ERRNO)));
    }

    /**
     * Binds a short, never-blocking libc function that sets errno, as a critical call: it may read
     * and write Java arrays directly (no copy). The handle takes the function's own arguments,
     * makes each call a call state of its own on the Java heap, and returns the result or
     * {@code -errno}. Only for calls on non-blocking descriptors and other calls that return at
     * once.
     */
    public static MethodHandle criticalErrnoFunction(String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        MethodHandle call = errnoFunction(name, descriptor, with(options, Linker.Option.critical(true)));
        return MethodHandles.foldArguments(call, HEAP_CALL_STATE);
    }

    /** Allocates the segment that receives errno for one call of an {@link #errnoFunction}. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** Turns a Throwable thrown by {@code invokeExact} into an unchecked error; downcalls do not throw. */
    public static AssertionError unexpected(Throwable t) {
        return new AssertionError("native call failed unexpectedly", t);
    }

    /**
     * {@code (state, args...) -> rc} made into {@code (state, args...) -> rc < 0 ? -errno : rc}:
     * {@code resultOrErrno(call(state, args...), state)}.
     */
    private static MethodHandle returningErrno(MethodHandle call) {
        MethodHandle check = call.type().returnType() == long.class ? LONG_RESULT : INT_RESULT;
        // (state, args..., state2) -> resultOrErrno(call(state, args...), state2)
        MethodHandle checked = MethodHandles.collectArguments(check, 0, call);
        int arguments = call.type().parameterCount();
        int[] reorder = new int[arguments + 1];
        for (int i = 0; i < arguments; i++) {
            reorder[i] = i;
        }
        reorder[arguments] = 0; // state2 is the same state
        return MethodHandles.permuteArguments(checked, call.type(), reorder);
    }

    private static Linker.Option[] with(Linker.Option[] options, Linker.Option more) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = more;
        return all;
    }

    /** A fresh call state on the Java heap, for critical calls only; one per call. */
    private static MemorySegment heapCallState() {
        return MemorySegment.ofArray(new int[(int) (CALL_STATE.byteSize() / Integer.BYTES)]);
    }

    private static int resultOrErrno(int rc, MemorySegment state) {
        return rc < 0 ? -errno(state) : rc;
    }

    private static long resultOrErrno(long rc, MemorySegment state) {
        return rc < 0 ? -errno(state) : rc;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
