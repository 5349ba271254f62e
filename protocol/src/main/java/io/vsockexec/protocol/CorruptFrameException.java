package io.vsockexec.protocol;

/**
 * A frame of a known type carries a payload that is not valid for that type: a Signal, Resize or
 * Exit payload of the wrong length, a signal number out of range, JSON that does not parse, a field
 * of the wrong JSON type, a number out of range, invalid base64. The message names the payload
 * and the offending value.
 *
 * <p>The frame itself was read completely, so the stream is still at a frame boundary.
 */
public final class CorruptFrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** A corrupt payload described by {@code message}. */
    public CorruptFrameException(String message) {
        super(message);
    }
}
