package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;

/**
 * C strings for the native calls: a path, an argument or an environment entry, UTF-8 and
 * NUL-terminated, in memory that {@code allocator} hands out.
 *
 * <p>Why not {@link SegmentAllocator#allocateFrom(String)}: in JDK 25 it copies the string's bytes
 * with {@code MemorySegment.copy} from an array, which looks the array's type up with a pattern
 * switch ({@code jdk.internal.foreign.Utils.BaseAndScale.of}), and that switch's bootstrap
 * generates a class with the ClassFile API the first time it runs, on the agent's way to its first
 * exec. Copying segment to segment does not go through it. {@link Sockaddr} avoids it the same way.
 * {@link MemorySegment#getString(long)} copies into an array likewise, so strings are read here too.
 */
public final class CStrings {
    private CStrings() {}

    /** {@code value}'s UTF-8 bytes and a NUL, as {@code allocateFrom(value)} gives them. */
    public static MemorySegment of(SegmentAllocator allocator, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment c = allocator.allocate(bytes.length + 1L);
        c.copyFrom(MemorySegment.ofArray(bytes));
        c.set(JAVA_BYTE, bytes.length, (byte) 0);
        return c;
    }

    /** The UTF-8 string that ends at the first NUL of {@code c}, an unbounded or bounded segment. */
    public static String read(MemorySegment c) {
        long length = 0;
        while (c.get(JAVA_BYTE, length) != 0) {
            length++;
        }
        byte[] bytes = new byte[Math.toIntExact(length)];
        MemorySegment.ofArray(bytes).copyFrom(c.asSlice(0, length));
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
