package io.vsockexec.nativeio.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A C function that may block or take long, called as an ordinary native call: the thread is
 * in native code meanwhile, and the garbage collector runs on. Its pointer arguments must be
 * native memory. The caller passes the call state that receives errno, from
 * {@link Native#callState}, in native memory, and owned by the call (a thread's own, or the
 * call's arena's). A virtual thread must not call one that can block: it would pin its carrier.
 */
public final class BlockingFunction extends CFunction {
    private static final MemorySegment NONE = MemorySegment.NULL;

    BlockingFunction(String name, FunctionDescriptor descriptor, boolean setsErrno, boolean shared,
            Linker.Option... options) {
        super(name, descriptor, false, setsErrno, shared, options);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the result. */
    public long call(MemorySegment state) {
        checkArity(0);
        return invoke(state, NONE, NONE, NONE, NONE, NONE, NONE);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment state, MemorySegment a0) {
        checkArity(1);
        return invoke(state, a0, NONE, NONE, NONE, NONE, NONE);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment state, MemorySegment a0, MemorySegment a1) {
        checkArity(2);
        return invoke(state, a0, a1, NONE, NONE, NONE, NONE);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment state, MemorySegment a0, MemorySegment a1, MemorySegment a2) {
        checkArity(3);
        return invoke(state, a0, a1, a2, NONE, NONE, NONE);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment state, MemorySegment a0, MemorySegment a1, MemorySegment a2,
            MemorySegment a3) {
        checkArity(4);
        return invoke(state, a0, a1, a2, a3, NONE, NONE);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment state, MemorySegment a0, MemorySegment a1, MemorySegment a2,
            MemorySegment a3, MemorySegment a4) {
        checkArity(5);
        return invoke(state, a0, a1, a2, a3, a4, NONE);
    }

    /** Calls the function; with errno into {@code state}; see {@link CFunction} for the arguments and the result. */
    public long call(MemorySegment state, MemorySegment a0, MemorySegment a1, MemorySegment a2,
            MemorySegment a3, MemorySegment a4, MemorySegment a5) {
        checkArity(6);
        return invoke(state, a0, a1, a2, a3, a4, a5);
    }

    private long invoke(MemorySegment state, MemorySegment a0, MemorySegment a1, MemorySegment a2,
            MemorySegment a3, MemorySegment a4, MemorySegment a5) {
        long raw;
        try {
            raw = exact == null
                    ? (long) Shapes.Blocking.HANDLE.invokeExact(address, state,
                            a0, a1, a2, a3, a4, a5)
                    : (long) exact.invokeExact(state, a0, a1, a2, a3, a4, a5);
        } catch (RuntimeException | Error e) {
            throw e; // a bad argument, such as a Java array where native memory is needed
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
        long value = result(raw);
        return failed(value) ? -state.get(ValueLayout.JAVA_INT, Shapes.ERRNO_OFFSET) : value;
    }
}
