package io.vsockexec.protocol;

import java.io.IOException;

/**
 * The peer broke the wire protocol: a frame that is too long, of an unknown type, or whose payload
 * does not fit its type. The subclasses say which; code that only needs to know "the other side is
 * not speaking the protocol" catches this one.
 *
 * <p>A stream that simply ends is not a protocol error; it is {@link java.io.EOFException}.
 */
public class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A protocol error described by {@code message}, which should name the offending value. */
    public ProtocolException(String message) {
        super(message);
    }
}
