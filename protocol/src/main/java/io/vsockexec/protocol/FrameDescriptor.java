package io.vsockexec.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Layout of a frame on the wire: a 5-byte header followed by the payload.
 *
 * <pre>
 *   byte   0        1        2        3        4        5 ...
 *        +--------+--------+--------+--------+--------+------------------------+
 *        |  type  |    payload length (u32, big-endian)   | payload (length bytes) |
 *        +--------+--------+--------+--------+--------+------------------------+
 *         TYPE_OFFSET  LENGTH_OFFSET                      PAYLOAD_OFFSET
 * </pre>
 *
 * <p>The type is an unsigned byte, one of the {@link MessageType} codes. The length counts only
 * the payload, not the header, and is unsigned: a header can claim up to 4294967295 bytes, so every
 * reader checks it against a maximum before allocating. A zero length is legal (an end-of-input
 * {@link MessageType#STDIN}, a {@link MessageType#READY}).
 *
 * <p>The helpers read and write header fields in a byte array at a given frame offset; they do not
 * check ranges beyond what the JVM checks.
 */
public final class FrameDescriptor {
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 5;
    /** Offset of the type byte from the start of the frame. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the 4-byte payload length from the start of the frame. */
    public static final int LENGTH_OFFSET = 1;
    /** Offset of the payload from the start of the frame. */
    public static final int PAYLOAD_OFFSET = 5;
    /** The payload limit used unless configured otherwise: 16 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

    /**
     * The most content one file frame carries, a WriteFile request's or a FileResult's: 16 MiB,
     * the Go agent's limit on a read. Larger files are for a streamed copy.
     */
    public static final int MAX_FILE_CONTENT = 16 * 1024 * 1024;

    /**
     * The payload limit of the two frames that carry a file, {@link MessageType#WRITE_FILE} and
     * {@link MessageType#FILE_RESULT}, whatever the configured limit below it: the base64 of
     * {@link #MAX_FILE_CONTENT} bytes (22,369,624) and 64 KiB for the JSON around it (a path of
     * 4096 bytes takes at most 24 KiB escaped). See {@link #maxPayload(MessageType, int)}.
     */
    public static final int MAX_FILE_PAYLOAD = (MAX_FILE_CONTENT + 2) / 3 * 4 + 64 * 1024;

    /**
     * The most one {@link MessageType#COPY_DATA} frame carries: 256 KiB, whatever the configured
     * limit below it (at least 64 KiB). A copy's stream is read as it arrives
     * ({@link DataFrameInput}), never held whole, so a larger frame costs its reader no memory,
     * and a quarter as many frame boundaries and system calls as 64 KiB frames.
     */
    public static final int MAX_COPY_DATA = 256 * 1024;

    /** The largest configurable payload limit: a whole frame, header included, must still fit in one Java array. */
    public static final int LARGEST_MAX_PAYLOAD = Integer.MAX_VALUE - 8 - HEADER_LENGTH;

    private static final VarHandle INT_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private FrameDescriptor() {
    }

    /** Writes the type and payload length of a frame that starts at {@code frameOffset}. */
    public static void putHeader(byte[] buffer, int frameOffset, MessageType type, int payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payload length must not be negative: " + payloadLength);
        }
        buffer[frameOffset + TYPE_OFFSET] = (byte) type.code();
        INT_BIG_ENDIAN.set(buffer, frameOffset + LENGTH_OFFSET, payloadLength);
    }

    /** The type byte of the frame at {@code frameOffset}, as an unsigned number 0 to 255. */
    public static int getTypeCode(byte[] buffer, int frameOffset) {
        return Byte.toUnsignedInt(buffer[frameOffset + TYPE_OFFSET]);
    }

    /** The payload length of the frame at {@code frameOffset}, as an unsigned number 0 to 4294967295. */
    public static long getPayloadLength(byte[] buffer, int frameOffset) {
        return Integer.toUnsignedLong((int) INT_BIG_ENDIAN.get(buffer, frameOffset + LENGTH_OFFSET));
    }

    /**
     * The payload limit of frames of {@code type} where the limit for the others is
     * {@code configured}: at least {@link #MAX_FILE_PAYLOAD} for the two types that carry a file,
     * at least {@link #MAX_COPY_DATA} for a copy's data, {@code configured} for the rest. Raising the limit for those two alone lets a 16 MiB file
     * through, base64 and all, while every other frame keeps the configured bound; a reader that
     * accepts such a frame streams it ({@link FrameReader#payload}) rather than holding it.
     */
    public static int maxPayload(MessageType type, int configured) {
        return switch (type) {
            case WRITE_FILE, FILE_RESULT -> Math.max(configured, MAX_FILE_PAYLOAD);
            case COPY_DATA -> Math.max(configured, MAX_COPY_DATA);
            default -> configured;
        };
    }

    /**
     * Validates a configured payload limit: between 1 and {@link #LARGEST_MAX_PAYLOAD}, so that a
     * whole frame fits in one array.
     *
     * @param name the limit as the caller names it, for the message, e.g. {@code maxFrame}
     * @return {@code maxPayload}
     * @throws IllegalArgumentException naming the limit and the bad value
     */
    public static int checkMaxPayload(String name, int maxPayload) {
        return checkMaxPayload(name, maxPayload, 1, LARGEST_MAX_PAYLOAD);
    }

    /**
     * Validates a payload limit that the caller bounds more tightly than the protocol does.
     *
     * @param name the limit as the caller names it, for the message, e.g. {@code max frame}
     * @param smallest the smallest limit allowed, at least 1
     * @param largest the largest limit allowed, at most {@link #LARGEST_MAX_PAYLOAD}
     * @return {@code maxPayload}
     * @throws IllegalArgumentException naming the limit and the bad value
     */
    public static int checkMaxPayload(String name, int maxPayload, int smallest, int largest) {
        if (smallest < 1 || largest > LARGEST_MAX_PAYLOAD || smallest > largest) {
            throw new IllegalArgumentException("bounds of " + name + " must lie within 1 to " + LARGEST_MAX_PAYLOAD
                    + " bytes, got " + smallest + " to " + largest);
        }
        if (maxPayload < smallest || maxPayload > largest) {
            throw new IllegalArgumentException(
                    name + " must be between " + smallest + " and " + largest + " bytes, got " + maxPayload);
        }
        return maxPayload;
    }
}
