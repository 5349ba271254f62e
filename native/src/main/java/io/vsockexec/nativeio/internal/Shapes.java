package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The two downcall shapes every {@link CFunction} is called through, and the exact binding used
 * where sharing them is not sound.
 *
 * <p><b>Why shapes are shared.</b> The linker generates code for each distinct function
 * signature (a specialized class, its method-handle forms, a native stub), about ten
 * milliseconds of CPU each in every process, and the AOT cache does not keep any of it. So
 * every function of this package is called through one of two signatures, whatever its own C
 * types are: {@code long f(void *a0, ..., void *a5)}, once as a critical call (heap arrays
 * allowed, for short calls) and once as an ordinary one (for calls that may block). Both capture
 * errno, and both have the same Java type:
 * {@code (MemorySegment function, MemorySegment callState, MemorySegment a0..a5) -> long}. An
 * integer argument travels as the pointer-sized word it equals ({@link Native#word}).
 *
 * <p><b>Why that is sound</b>, on LP64 Linux on x86-64 (System V ABI) and AArch64 (AAPCS64),
 * for functions of at most six integer or pointer arguments and an integer, pointer or no
 * result: integers of every width and pointers travel in the same general-purpose registers, in
 * order, one each; a callee reads only the low bits of a narrower argument, and a word that
 * holds the sign-extended value has them (it also meets the stricter rule of some compilers that
 * a caller extends {@code short} and {@code char} to 32 bits); argument registers a callee does
 * not take are scratch registers it never reads; a narrower result is the low bits of the result
 * register, so it is cut back to its own width and sign-extended ({@link CFunction}). Variadic
 * functions ({@code fcntl}, {@code ioctl}, {@code open}, {@code prctl}, {@code syscall}) take
 * their integer arguments in the same registers as fixed ones on both; the shapes are declared
 * variadic (with no variadic argument) so that on x86-64 the linker also sets {@code %al}, the
 * count of vector registers a variadic callee may save, to zero, which is harmless for the
 * others. Elsewhere (other architectures, where a callee may rely on how the caller extended an
 * argument, or another word size) each function is bound with its own descriptor, adapted to the
 * same Java type; slower to start, the same behaviour.
 */
final class Shapes {
    /** The most arguments a function may have. */
    static final int MAX_ARGUMENTS = 6;
    /** True where the shared shapes are sound: LP64 Linux on x86-64 or AArch64. */
    static final boolean SHARED = soundHere(System.getProperty("os.name"), System.getProperty("os.arch"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    /** Where errno is in a call state, in bytes and in ints (a critical call's state is an int array). */
    static final long ERRNO_OFFSET = StructOffsets.of(CALL_STATE, "errno");
    static final int ERRNO_INDEX = (int) (ERRNO_OFFSET / Integer.BYTES);
    static final int STATE_INTS = (int) ((CALL_STATE.byteSize() + Integer.BYTES - 1) / Integer.BYTES);
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** The Java type of a function's handle: {@code (state, a0..a5) -> long}. */
    static final MethodType FUNCTION_TYPE = MethodType.methodType(long.class,
            Collections.nCopies(1 + MAX_ARGUMENTS, MemorySegment.class));

    // Each shape is linked at its first call: a process that never makes a blocking call never
    // pays for that shape.
    /** The critical shape: {@code (function, heap or native state, a0..a5) -> long}. */
    static final class Critical {
        static final MethodHandle HANDLE = link(true);
    }

    /** The ordinary shape, for calls that may block: {@code (function, native state, a0..a5) -> long}. */
    static final class Blocking {
        static final MethodHandle HANDLE = link(false);
    }

    private Shapes() {}

    /**
     * Links both shapes now where they are shared, the critical one first (a thread that makes a
     * short call meanwhile waits for it rather than linking it again); each is linked once per process.
     */
    static void linkBoth() {
        if (SHARED) {
            Objects.requireNonNull(Critical.HANDLE);
            Objects.requireNonNull(Blocking.HANDLE);
        }
    }

    static StructLayout callStateLayout() {
        return CALL_STATE;
    }

    /** Whether the shared shapes are sound on this operating system and architecture (see above). */
    static boolean soundHere(String osName, String osArch) {
        return "Linux".equals(osName) && ADDRESS.byteSize() == Long.BYTES
                && ("amd64".equals(osArch) || "x86_64".equals(osArch) || "aarch64".equals(osArch));
    }

    /**
     * Checks that {@code descriptor} can be called through a shared shape: at most six
     * arguments, each an integer or a pointer, and an {@code int}, a {@code long}, a pointer or no
     * result. Checked on every architecture, so that code written on one runs on the others.
     *
     * @throws IllegalArgumentException naming the function otherwise
     */
    static void checkShareable(String name, FunctionDescriptor descriptor) {
        List<MemoryLayout> arguments = descriptor.argumentLayouts();
        if (arguments.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException(name + " takes " + arguments.size() + " arguments, more than "
                    + MAX_ARGUMENTS);
        }
        for (MemoryLayout argument : arguments) {
            if (!isWord(argument)) {
                throw new IllegalArgumentException(name + ": argument " + argument + " is not an integer or pointer");
            }
        }
        descriptor.returnLayout().ifPresent(result -> {
            if (!isWord(result) || result.byteSize() < Integer.BYTES) {
                throw new IllegalArgumentException(name + ": result " + result + " is not an integer or pointer");
            }
        });
    }

    private static boolean isWord(MemoryLayout layout) {
        return layout instanceof AddressLayout
                || layout instanceof ValueLayout v
                        && (v.carrier() == int.class || v.carrier() == long.class || v.carrier() == short.class);
    }

    private static MethodHandle link(boolean critical) {
        MemoryLayout[] words = new MemoryLayout[MAX_ARGUMENTS];
        Arrays.fill(words, ADDRESS);
        FunctionDescriptor shape = FunctionDescriptor.of(JAVA_LONG, words);
        Linker.Option variadic = Linker.Option.firstVariadicArg(MAX_ARGUMENTS);
        return critical
                ? LINKER.downcallHandle(shape, CAPTURE_ERRNO, Linker.Option.critical(true), variadic)
                : LINKER.downcallHandle(shape, CAPTURE_ERRNO, variadic);
    }

    /**
     * {@code symbol} bound with its own descriptor, adapted to {@link #FUNCTION_TYPE}: each word
     * cut to its argument's type, the unused words dropped, the result widened to {@code long}
     * (0 for no result). For where the shapes are not shared; method-handle adapters of its own.
     */
    static MethodHandle exact(MemorySegment symbol, FunctionDescriptor descriptor, boolean critical,
            Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + (critical ? 2 : 1));
        all[options.length] = CAPTURE_ERRNO;
        if (critical) {
            all[options.length + 1] = Linker.Option.critical(true);
        }
        MethodHandle h = LINKER.downcallHandle(symbol, descriptor, all);
        MethodType type = h.type();
        MethodHandle[] filters = new MethodHandle[type.parameterCount() - 1];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = fromWord(type.parameterType(i + 1));
        }
        h = MethodHandles.filterArguments(h, 1, filters);
        h = MethodHandles.dropArguments(h, 1 + filters.length,
                Collections.nCopies(MAX_ARGUMENTS - filters.length, MemorySegment.class));
        if (type.returnType() == MemorySegment.class) {
            h = MethodHandles.filterReturnValue(h, Adapters.find("address", long.class));
        }
        return h.asType(FUNCTION_TYPE); // int and short sign-extend, void becomes 0
    }

    private static MethodHandle fromWord(Class<?> carrier) {
        if (carrier == MemorySegment.class) {
            return null; // passed as it is
        }
        return MethodHandles.explicitCastArguments(Adapters.find("address", long.class),
                MethodType.methodType(carrier, MemorySegment.class));
    }

    /** The method handles {@link #exact} adapts with. */
    private static final class Adapters {
        static MethodHandle find(String name, Class<?> result) {
            try {
                return MethodHandles.lookup().findStatic(Adapters.class, name,
                        MethodType.methodType(result, MemorySegment.class));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }

        @SuppressWarnings("unused") // through find
        private static long address(MemorySegment word) {
            return word.address();
        }
    }
}
