package io.vsockexec.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Bytes of a known length, written when asked rather than held in one array: a frame's payload
 * that goes out as it is produced ({@link FrameWriter#write(MessageType, ByteSource)}, the header
 * first), or an output inside one ({@link ExecPayloads#execResult}, a buffered command's reply, whose
 * output an agent holds in pieces and encodes straight into the frame).
 */
public interface ByteSource {
    /** The number of bytes {@link #writeTo} writes. */
    long length();

    /**
     * Writes the bytes, exactly {@link #length()} of them, to {@code out}. A source may let go of
     * what it has written: whether it can be written twice is the source's own business.
     *
     * @throws IOException if {@code out} fails, or the bytes cannot be produced
     */
    void writeTo(OutputStream out) throws IOException;
}
