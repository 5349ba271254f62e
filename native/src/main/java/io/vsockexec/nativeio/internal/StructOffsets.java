package io.vsockexec.nativeio.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.Optional;

/**
 * Where a named field starts in a C struct, found by adding up the sizes of the members before
 * it. {@code StructLayout.byteOffset(PathElement...)} gives the same answer, but its first use
 * initializes the JDK's layout paths, which generate method-handle classes (some milliseconds in
 * a fresh process, on the agent's way to ready); the offsets here are needed as the native
 * layer's classes initialize.
 */
final class StructOffsets {
    private StructOffsets() {}

    /**
     * The offset of {@code field} in {@code struct}, in bytes.
     *
     * @throws IllegalArgumentException if {@code struct} has no member of that name
     */
    static long of(StructLayout struct, String field) {
        long offset = 0;
        for (MemoryLayout member : struct.memberLayouts()) {
            Optional<String> name = member.name();
            if (name.isPresent() && name.get().equals(field)) {
                return offset;
            }
            offset += member.byteSize();
        }
        throw new IllegalArgumentException(struct + " has no field " + field);
    }
}
