package io.vsockexec.protocol;

/**
 * A frame's type byte is not one of the {@link MessageType}s this implementation speaks (0, or 18
 * to 255). When a {@link FrameReader} throws this, it has already skipped the frame's payload, so
 * the stream is at the next frame boundary and the caller may answer and go on reading.
 */
public final class UnknownMessageTypeException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** An unknown type {@code code}, as read from the wire (0 to 255) or passed to {@link MessageType#of}. */
    public UnknownMessageTypeException(int code) {
        super("unknown message type " + code);
        this.code = code;
    }

    /** The type number that is not known. */
    public int code() {
        return code;
    }
}
