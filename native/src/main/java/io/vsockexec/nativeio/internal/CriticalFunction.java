package io.vsockexec.nativeio.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;

/**
 * A short C function that never blocks, called as a critical call: the JVM does not change the
 * thread's state around it, and its pointer arguments may be Java arrays
 * ({@link MemorySegment#ofArray}), read and written in place. Each call makes its own call state
 * on the Java heap, so errno is the one this call set. Only for calls on non-blocking descriptors
 * and others that return at once: no garbage collection can start while a critical call runs.
 */
public final class CriticalFunction extends CFunction {
    private static final MemorySegment NONE = MemorySegment.NULL;

    CriticalFunction(String name, FunctionDescriptor descriptor, boolean setsErrno, boolean shared,
            Linker.Option... options) {
        super(name, descriptor, true, setsErrno, shared, options);
    }

    /** Calls the function; see {@link CFunction} for the result. */
    public long call() {
        checkArity(0);
        return invoke(NONE, NONE, NONE, NONE, NONE, NONE);
    }

    /** Calls the function; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment a0) {
        checkArity(1);
        return invoke(a0, NONE, NONE, NONE, NONE, NONE);
    }

    /** Calls the function; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment a0, MemorySegment a1) {
        checkArity(2);
        return invoke(a0, a1, NONE, NONE, NONE, NONE);
    }

    /** Calls the function; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment a0, MemorySegment a1, MemorySegment a2) {
        checkArity(3);
        return invoke(a0, a1, a2, NONE, NONE, NONE);
    }

    /** Calls the function; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3) {
        checkArity(4);
        return invoke(a0, a1, a2, a3, NONE, NONE);
    }

    /** Calls the function; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3, MemorySegment a4) {
        checkArity(5);
        return invoke(a0, a1, a2, a3, a4, NONE);
    }

    /** Calls the function; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3, MemorySegment a4,
            MemorySegment a5) {
        checkArity(6);
        return invoke(a0, a1, a2, a3, a4, a5);
    }

    private long invoke(MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3, MemorySegment a4,
            MemorySegment a5) {
        int[] state = new int[Shapes.STATE_INTS];
        long raw;
        try {
            raw = exact == null
                    ? (long) Shapes.Critical.HANDLE.invokeExact(address, MemorySegment.ofArray(state),
                            a0, a1, a2, a3, a4, a5)
                    : (long) exact.invokeExact(MemorySegment.ofArray(state), a0, a1, a2, a3, a4, a5);
        } catch (RuntimeException | Error e) {
            throw e; // a bad argument, such as a Java array where native memory is needed
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
        long value = result(raw);
        return failed(value) ? -state[Shapes.ERRNO_INDEX] : value;
    }
}
