package io.vsockexec.protocol;

/**
 * A frame's payload is longer than the limit of the reader or writer handling it.
 *
 * <p>A {@link FrameReader} throws this after reading only the header, before allocating anything;
 * the payload is still on the stream, so the stream is no longer at a frame boundary and the
 * connection should be closed. A {@link FrameWriter} throws it before writing a single byte, so the
 * stream is intact.
 */
public final class FrameTooLongException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final int limit;
    private final int typeCode;

    /**
     * @param length the payload length the frame has or claims, 0 to 4294967295
     * @param limit the largest payload allowed
     */
    public FrameTooLongException(long length, int limit) {
        this(length, limit, -1);
    }

    /**
     * @param length the payload length the frame claims, 0 to 4294967295
     * @param limit the largest payload allowed
     * @param typeCode the type byte of the frame's header, 0 to 255, or -1 if not known
     */
    public FrameTooLongException(long length, int limit, int typeCode) {
        super("frame payload of " + length + " bytes exceeds the limit of " + limit + " bytes");
        this.length = length;
        this.limit = limit;
        this.typeCode = typeCode;
    }

    /**
     * The type byte of the rejected frame's header (0 to 255), which a reader has already read:
     * an agent answers an oversized request in the way of the mode it asked for. -1 when thrown
     * by a writer.
     */
    public int typeCode() {
        return typeCode;
    }

    /** The payload length the frame has or claims. */
    public long length() {
        return length;
    }

    /** The largest payload that was allowed. */
    public int limit() {
        return limit;
    }
}
