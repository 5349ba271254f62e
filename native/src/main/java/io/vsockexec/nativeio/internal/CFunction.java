package io.vsockexec.nativeio.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A C function of libc, declared with its own C signature and called through one of the shared
 * downcall shapes ({@link Shapes}); made by {@link Native}. Every argument is a
 * {@link MemorySegment}: a pointer as the segment it points into, an integer as
 * {@link Native#word}. A call returns a {@code long}: the C result, a narrower integer
 * sign-extended from its own width, and for a function that reports failure through errno, the
 * negated errno when that result is negative.
 */
public abstract sealed class CFunction permits CriticalFunction, BlockingFunction {
    private final String name;
    private final int arity;
    /** The width of the result in bits: 0 (void), 32 or 64 (a long or a pointer). */
    private final int resultBits;
    private final boolean setsErrno;
    /** The function's address, for the shared shapes. */
    final MemorySegment address;
    /** The function bound with its own descriptor, adapted to {@link Shapes#FUNCTION_TYPE}; null when shared. */
    final MethodHandle exact;

    CFunction(String name, FunctionDescriptor descriptor, boolean critical, boolean setsErrno, boolean shared,
            Linker.Option... options) {
        this.name = name;
        this.arity = descriptor.argumentLayouts().size();
        this.resultBits = descriptor.returnLayout().isEmpty() ? 0
                : (int) descriptor.returnLayout().get().byteSize() * Byte.SIZE;
        this.setsErrno = setsErrno;
        Shapes.checkShareable(name, descriptor);
        this.address = Native.symbol(name);
        this.exact = shared ? null : Shapes.exact(address, descriptor, critical, options);
    }

    /** The function's name in libc. */
    public final String name() {
        return name;
    }

    @Override
    public final String toString() {
        return name;
    }

    /** Throws unless a call passes as many arguments as the function takes: a missing one would be 0 without a word. */
    final void checkArity(int count) {
        if (count != arity) {
            throw new IllegalArgumentException(name + " takes " + arity + " arguments, called with " + count);
        }
    }

    /**
     * The C result in the result register {@code raw}: a 32-bit result is its low half,
     * sign-extended (the upper half of the register is undefined); no result is 0.
     */
    final long result(long raw) {
        return resultBits == Long.SIZE ? raw : resultBits == Integer.SIZE ? (int) raw : 0;
    }

    /** True when {@code value} is a failure whose cause is in errno. */
    final boolean failed(long value) {
        return value < 0 && setsErrno;
    }
}
