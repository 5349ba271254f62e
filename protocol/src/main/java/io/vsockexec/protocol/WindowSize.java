package io.vsockexec.protocol;

/**
 * A terminal size: the payload of {@link MessageType#RESIZE}. Not JSON on the wire but 4 bytes,
 * rows then columns, each an unsigned 16-bit big-endian number; see {@link BinaryPayloads#encode(WindowSize)}.
 *
 * @param rows the height in character cells, 0 to 65535
 * @param cols the width in character cells, 0 to 65535
 */
public record WindowSize(int rows, int cols) {

    /** @throws IllegalArgumentException if {@code rows} or {@code cols} is outside 0 to 65535 */
    public WindowSize {
        Values.u16(rows, "rows");
        Values.u16(cols, "cols");
    }
}
