package io.vsockexec.nativeio.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

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
 * <p><b>A method handle of the function's own type</b> ({@link #function}) is there for a
 * function that does not set errno and needs a signature of its own (a test's {@code sigaction}),
 * but each distinct signature costs a binding of its own (milliseconds of CPU in every process):
 * prefer a {@link CFunction}.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

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
}
