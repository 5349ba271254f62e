package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vsockexec.nativeio.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The binding layer itself: every case runs twice, once through the shared shapes and once with
 * each function bound to its own descriptor (the way other architectures call), and both must
 * agree on arguments, results, errno and Java arrays.
 */
class CFunctionTest {
    /** errno values of x86-64 and AArch64 Linux that {@link Errno} does not name. */
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static CriticalFunction critical(boolean shared, String name, FunctionDescriptor d, Linker.Option... o) {
        return new CriticalFunction(name, d, true, shared, o);
    }

    private static CriticalFunction criticalPlain(boolean shared, String name, FunctionDescriptor d) {
        return new CriticalFunction(name, d, false, shared);
    }

    private static BlockingFunction blocking(boolean shared, String name, FunctionDescriptor d, Linker.Option... o) {
        return new BlockingFunction(name, d, true, shared, o);
    }

    private static MemorySegment cString(String s) {
        return MemorySegment.ofArray((s + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aFailedCallReturnsTheNegatedErrnoOfThatCall(boolean shared) {
        CriticalFunction close = critical(shared, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        assertEquals(-EBADF, close.call(word(-1)));
        BlockingFunction open = blocking(shared, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            assertEquals(-Errno.ENOENT, open.call(state, arena.allocateFrom("/no/such/file"), word(0), word(0)));
            assertEquals(-Errno.ENOTDIR, open.call(state, arena.allocateFrom("/dev/null/x"), word(0), word(0)));
        }
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void anIntResultIsSignExtendedFromItsOwn32Bits(boolean shared) {
        CriticalFunction atoi = criticalPlain(shared, "atoi", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        assertEquals(-5, atoi.call(cString("-5")));
        assertEquals(Integer.MIN_VALUE, atoi.call(cString("-2147483648")));
        assertEquals(Integer.MAX_VALUE, atoi.call(cString("2147483647")));
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aLongResultKeepsAll64Bits(boolean shared) {
        CriticalFunction strtol = criticalPlain(shared, "strtol",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));
        assertEquals(Long.MIN_VALUE, strtol.call(cString("-9223372036854775808"), MemorySegment.NULL, word(10)));
        assertEquals(Long.MAX_VALUE, strtol.call(cString("9223372036854775807"), MemorySegment.NULL, word(10)));
        assertEquals(1L << 32, strtol.call(cString("4294967296"), MemorySegment.NULL, word(10)));
        assertEquals(-1L << 33, strtol.call(cString("-8589934592"), MemorySegment.NULL, word(10)));
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void integerArgumentsArriveAtTheirOwnWidth(boolean shared) {
        CriticalFunction abs = criticalPlain(shared, "abs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        assertEquals(7, abs.call(word(-7)));
        assertEquals(Integer.MAX_VALUE, abs.call(word(Integer.MIN_VALUE + 1)));
        CriticalFunction labs = criticalPlain(shared, "labs", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        assertEquals(5_000_000_000L, labs.call(word(-5_000_000_000L)));
        assertEquals(Long.MAX_VALUE, labs.call(word(Long.MIN_VALUE + 1)));
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aCriticalCallReadsAndWritesJavaArraysInPlace(boolean shared) {
        CriticalFunction pipe2 = critical(shared, "pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        CriticalFunction write = critical(shared, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        CriticalFunction read = critical(shared, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        CriticalFunction close = critical(shared, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        int[] fds = {-1, -1};
        assertEquals(0, pipe2.call(MemorySegment.ofArray(fds), word(Libc.O_CLOEXEC | Libc.O_NONBLOCK)));
        assertTrue(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1], Arrays.toString(fds));
        try {
            byte[] out = "..hello..".getBytes(StandardCharsets.US_ASCII);
            MemorySegment middle = MemorySegment.ofArray(out).asSlice(2, 5);
            assertEquals(5, write.call(word(fds[1]), middle, word(middle.byteSize())));
            byte[] in = new byte[9];
            MemorySegment into = MemorySegment.ofArray(in).asSlice(3, 6);
            assertEquals(5, read.call(word(fds[0]), into, word(into.byteSize())));
            assertArrayEquals("\0\0\0hello\0".getBytes(StandardCharsets.US_ASCII), in);
            assertEquals(-Errno.EAGAIN, read.call(word(fds[0]), into, word(into.byteSize())));
        } finally {
            close.call(word(fds[0]));
            close.call(word(fds[1]));
        }
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aVariadicFunctionTakesItsIntegerArguments(boolean shared) {
        CriticalFunction fcntl = critical(shared, "fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        int[] fds = new int[2];
        assertEquals(0, ProcessLibc.pipe2(fds, Libc.O_CLOEXEC));
        try {
            assertEquals(0, fcntl.call(word(fds[0]), word(Libc.F_GETFL), word(0)) & Libc.O_NONBLOCK);
            assertEquals(0, fcntl.call(word(fds[0]), word(Libc.F_SETFL), word(Libc.O_NONBLOCK)));
            assertEquals(Libc.O_NONBLOCK, fcntl.call(word(fds[0]), word(Libc.F_GETFL), word(0)) & Libc.O_NONBLOCK);
        } finally {
            Libc.close(fds[0]);
            Libc.close(fds[1]);
        }
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aFunctionWithoutResultReturnsZero(boolean shared) {
        CriticalFunction srand = criticalPlain(shared, "srand", FunctionDescriptor.ofVoid(JAVA_INT));
        assertEquals(0, srand.call(word(-1)));
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aBlockingCallRefusesJavaArrays(boolean shared) {
        BlockingFunction strlen = new BlockingFunction("strlen", FunctionDescriptor.of(JAVA_LONG, ADDRESS), false,
                shared);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            assertEquals(5, strlen.call(state, arena.allocateFrom("hello")));
            assertThrows(IllegalArgumentException.class, () -> strlen.call(state, cString("hello")));
        }
    }

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {true, false})
    void aCallWithTheWrongNumberOfArgumentsIsRefused(boolean shared) {
        CriticalFunction close = critical(shared, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> close.call(word(-1), word(0)));
        assertEquals("close takes 1 arguments, called with 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> close.call());
    }

    @Test
    void aFunctionLibcDoesNotHaveIsAnUnsatisfiedLinkError() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> Native.critical("no_such_function_here", FunctionDescriptor.of(JAVA_INT)));
        assertEquals("libc has no function no_such_function_here", e.getMessage());
    }

    @Test
    void onlyIntegerAndPointerSignaturesOfAtMostSixArgumentsAreAccepted() {
        assertThrows(IllegalArgumentException.class,
                () -> Native.critical("sqrt", FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE)));
        assertThrows(IllegalArgumentException.class, () -> Native.blocking("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                        JAVA_LONG)));
        assertThrows(IllegalArgumentException.class,
                () -> Native.critical("getchar", FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    @Test
    void theShapesAreSharedOnlyOnLinuxOnX8664AndAarch64() {
        assertTrue(Shapes.soundHere("Linux", "amd64"));
        assertTrue(Shapes.soundHere("Linux", "aarch64"));
        assertFalse(Shapes.soundHere("Linux", "riscv64"));
        assertFalse(Shapes.soundHere("Linux", "ppc64le"));
        assertFalse(Shapes.soundHere("Mac OS X", "aarch64"));
    }
}
