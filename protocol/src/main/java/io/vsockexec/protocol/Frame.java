package io.vsockexec.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * One frame: a type and its payload, as read by {@link FrameReader} and written by
 * {@link FrameWriter}. Use {@link Messages} to turn it into a typed {@link Message} and back.
 *
 * <p><b>The payload array is shared, not copied.</b> Frames carry every byte of a command's input
 * and output, so the reader hands over the array it has just filled and the writer only reads the
 * array it is given; copying in the constructor and in {@link #payload()} would double the work of
 * every relay. Treat the array as read-only once it is in a frame. The typed {@link Message}
 * records do copy, since they are the values applications keep.
 *
 * <p>{@link #equals}, {@link #hashCode} compare payload content; {@link #toString} gives the
 * length only, never the bytes, which may be secrets or megabytes of output.
 *
 * @param type the message type
 * @param payload the payload, possibly empty, never null
 */
public record Frame(MessageType type, byte[] payload) {
    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /** A frame with an empty payload, such as an end-of-input {@link MessageType#STDIN}. */
    public static Frame empty(MessageType type) {
        return new Frame(type, Values.EMPTY_BYTES);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && type == f.type && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frame[" + type + ", " + payload.length + " bytes]";
    }
}
