package io.vsockexec.protocol;

import java.util.Objects;

/**
 * The header of a frame whose payload has not been read yet: what {@link FrameReader#readHeader()}
 * returns, for a caller that chooses how to take the payload (whole, or as a stream) by its type.
 *
 * @param type the frame's type
 * @param length the payload's length in bytes, already checked against the reader's limit for the type
 */
public record FrameHeader(MessageType type, int length) {
    public FrameHeader {
        Objects.requireNonNull(type, "type");
        if (length < 0) {
            throw new IllegalArgumentException("payload length must not be negative: " + length);
        }
    }
}
