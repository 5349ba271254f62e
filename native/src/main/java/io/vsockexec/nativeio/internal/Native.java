package io.vsockexec.nativeio.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * How this package binds C functions: the one place that talks to {@link Linker}.
 *
 * <p><b>The usual way</b> is a {@link CFunction}: a function declared with its own C signature
 * and called through one of two downcall shapes that every function shares ({@link Shapes} says
 * why that is sound, and where it is not). {@link #critical} makes one for a short call that may
 * read and write Java arrays in place, {@link #blocking} one for a call that may block. Binding
 * one costs a symbol lookup; the shapes are linked once per process, at their first call. Every
 * argument is a {@link MemorySegment}: a pointer as such, an integer as {@link #word}.
 *
 * <p><b>errno</b> is captured per call ({@link Linker.Option#captureCallState}) in a segment that
 * belongs to the call, never in a shared static: another thread (or the JVM) cannot overwrite it
 * between the call and the check. A function that sets errno returns its result when that is not
 * negative and {@code -errno} when it failed, so that the hot path (EAGAIN on a non-blocking
 * descriptor) throws nothing; the check is plain code in {@link CriticalFunction} and
 * {@link BlockingFunction}.
 *
 * <p><b>A method handle of the function's own type</b> ({@link #function}, {@link #errnoFunction},
 * {@link #criticalErrnoFunction}) is still there for code that wants one, but each distinct
 * signature costs a binding of its own (milliseconds of CPU in every process): prefer a
 * {@link CFunction}.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Native() {}

    /**
     * A short libc function that sets errno, called as a critical call ({@link CriticalFunction}).
     * {@code options} are the linker options of its own descriptor, such as
     * {@link Linker.Option#firstVariadicArg}; they count only where shapes are not shared.
     *
     * @throws UnsatisfiedLinkError if libc has no such function
     * @throws IllegalArgumentException if it does not take and return integers and pointers only
     */
    public static CriticalFunction critical(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return new CriticalFunction(name, descriptor, true, Shapes.SHARED, options);
    }

    /** As {@link #critical}, for a function that does not report failure through errno: calls return its result as it is. */
    public static CriticalFunction criticalWithoutErrno(String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        return new CriticalFunction(name, descriptor, false, Shapes.SHARED, options);
    }

    /** A libc function that sets errno and may block ({@link BlockingFunction}); otherwise as {@link #critical}. */
    public static BlockingFunction blocking(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return new BlockingFunction(name, descriptor, true, Shapes.SHARED, options);
    }

    /** As {@link #blocking}, for a function that does not report failure through errno. */
    public static BlockingFunction blockingWithoutErrno(String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        return new BlockingFunction(name, descriptor, false, Shapes.SHARED, options);
    }

    /**
     * An integer argument of a {@link CFunction}: the pointer-sized word it equals. Pass an
     * {@code int} as it is (it is sign-extended, and the callee reads its low 32 bits), a
     * {@code long} or {@code size_t} as it is.
     */
    public static MemorySegment word(long value) {
        return MemorySegment.ofAddress(value);
    }

    /** Links the downcall shapes now, on this thread (see {@link io.vsockexec.nativeio.NativeLinking}). */
    public static void linkShapes() {
        Shapes.linkBoth();
    }

    /** The address of the libc function {@code name}. */
    static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name));
    }

    /** Allocates, in native memory, the segment that receives errno for one call of a {@link BlockingFunction}. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(Shapes.callStateLayout());
    }

    /** Turns a Throwable thrown by {@code invokeExact} into an unchecked error; downcalls do not throw. */
    public static AssertionError unexpected(Throwable t) {
        return new AssertionError("native call failed unexpectedly", t);
    }

    /** Binds a libc function that does not set errno, as a method handle of its own type. */
    public static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    /**
     * Binds a libc function that sets errno and returns a negative {@code int} or {@code long} on
     * failure, as a method handle of its own type. The handle takes an extra first argument, the
     * call state, a segment from {@link #callState(Arena)} in native memory, and returns the
     * result or {@code -errno}.
     */
    public static MethodHandle errnoFunction(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return Legacy.returningErrno(function(name, descriptor, with(options, CAPTURE_ERRNO)));
    }

    /**
     * Binds a short, never-blocking libc function that sets errno, as a critical call with a method
     * handle of its own type: it may read and write Java arrays directly (no copy). The handle
     * takes the function's own arguments, makes each call a call state of its own on the Java
     * heap, and returns the result or {@code -errno}.
     */
    public static MethodHandle criticalErrnoFunction(String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        MethodHandle call = errnoFunction(name, descriptor, with(options, Linker.Option.critical(true)));
        return MethodHandles.foldArguments(call, Legacy.HEAP_CALL_STATE);
    }

    private static Linker.Option[] with(Linker.Option[] options, Linker.Option more) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = more;
        return all;
    }

    /** The method-handle adapters of the handles of a function's own type. */
    private static final class Legacy {
        static final MethodHandle HEAP_CALL_STATE;
        static final MethodHandle INT_RESULT;
        static final MethodHandle LONG_RESULT;

        static {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            try {
                HEAP_CALL_STATE = lookup.findStatic(Legacy.class, "heapCallState",
                        MethodType.methodType(MemorySegment.class));
                INT_RESULT = lookup.findStatic(Legacy.class, "resultOrErrno",
                        MethodType.methodType(int.class, int.class, MemorySegment.class));
                LONG_RESULT = lookup.findStatic(Legacy.class, "resultOrErrno",
                        MethodType.methodType(long.class, long.class, MemorySegment.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * {@code (state, args...) -> rc} made into {@code (state, args...) -> rc < 0 ? -errno : rc}:
         * {@code resultOrErrno(call(state, args...), state)}.
         */
        static MethodHandle returningErrno(MethodHandle call) {
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

        /** A fresh call state on the Java heap, for critical calls only; one per call. */
        private static MemorySegment heapCallState() {
            return MemorySegment.ofArray(new int[Shapes.STATE_INTS]);
        }

        private static int resultOrErrno(int rc, MemorySegment state) {
            return rc < 0 ? -errno(state) : rc;
        }

        private static long resultOrErrno(long rc, MemorySegment state) {
            return rc < 0 ? -errno(state) : rc;
        }

        private static int errno(MemorySegment state) {
            return state.get(java.lang.foreign.ValueLayout.JAVA_INT, Shapes.ERRNO_OFFSET);
        }
    }
}
