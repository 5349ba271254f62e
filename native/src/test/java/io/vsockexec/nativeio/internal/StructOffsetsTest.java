package io.vsockexec.nativeio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class StructOffsetsTest {
    private static final StructLayout PADDED = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("a"), MemoryLayout.paddingLayout(4), ValueLayout.ADDRESS.withName("b"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_BYTE).withName("c"), ValueLayout.JAVA_BYTE.withName("d"));

    @Test
    void eachFieldStartsWhereTheLayoutPathSaysItDoes() {
        for (StructLayout struct : new StructLayout[] {PADDED, Sockaddr.SOCKADDR_VM, Linker.Option.captureStateLayout()}) {
            for (MemoryLayout member : struct.memberLayouts()) {
                member.name().ifPresent(name -> assertThat(StructOffsets.of(struct, name)).as(struct + " " + name)
                        .isEqualTo(struct.byteOffset(MemoryLayout.PathElement.groupElement(name))));
            }
        }
        assertThat(StructOffsets.of(PADDED, "d")).isEqualTo(19);
    }

    @Test
    void aFieldTheStructLacksIsRefusedByName() {
        assertThatThrownBy(() -> StructOffsets.of(PADDED, "missing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    }
}
