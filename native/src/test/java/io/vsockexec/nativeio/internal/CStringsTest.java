package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CStringsTest {
    @Test
    void stringBecomesItsUtf8BytesAndATerminatingNulAsAllocateFromWritesIt() {
        try (Arena arena = Arena.ofConfined()) {
            for (String s : new String[] {"", "/bin/true", "PATH=/usr/bin", "caf\u00e9 \u65e5\u672c/\ud83d\ude00"}) {
                MemorySegment c = CStrings.of(arena, s);
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                assertThat(c.byteSize()).as(s).isEqualTo(utf8.length + 1L);
                assertThat(c.asSlice(0, utf8.length).toArray(JAVA_BYTE)).as(s).isEqualTo(utf8);
                assertThat(c.get(JAVA_BYTE, utf8.length)).as(s).isZero();
                assertThat(c.toArray(JAVA_BYTE)).as(s).isEqualTo(arena.allocateFrom(s).toArray(JAVA_BYTE));
                assertThat(c.getString(0)).as(s).isEqualTo(s);
            }
        }
    }

    @Test
    void readStopsAtTheFirstNulAndDecodesUtf8() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment two = arena.allocate(32);
            byte[] first = "d\u00e9j\u00e0".getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(MemorySegment.ofArray(first), 0, two, 0, first.length);
            two.set(JAVA_BYTE, first.length + 1, (byte) 'x'); // after the NUL: not part of the string
            assertThat(CStrings.read(two)).isEqualTo("d\u00e9j\u00e0");
            assertThat(CStrings.read(MemorySegment.ofAddress(CStrings.of(arena, "").address()).reinterpret(Long.MAX_VALUE)))
                    .isEmpty();
        }
    }
}
