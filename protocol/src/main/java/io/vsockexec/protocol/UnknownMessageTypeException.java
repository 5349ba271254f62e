package io.vsockexec.protocol;

/**
 * A frame's type byte is not one of the {@link MessageType}s this implementation speaks.
 *
 * <p>Types 13 to 17 are the Go reference's port forwarding and file operations, which vsockexec
 * does not implement; they are reported here like any other unknown number, with their Go name in
 * the message. When a {@link FrameReader} throws this, it has already skipped the frame's payload,
 * so the stream is at the next frame boundary and the caller may answer and go on reading.
 */
public final class UnknownMessageTypeException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** An unknown type {@code code}, as read from the wire (0 to 255) or passed to {@link MessageType#of}. */
    public UnknownMessageTypeException(int code) {
        super("unknown message type " + code + goName(code));
        this.code = code;
    }

    /** The type number that is not known. */
    public int code() {
        return code;
    }

    private static String goName(int code) {
        return switch (code) {
            case 13 -> " (PortForward in the Go reference; not supported)";
            case 14 -> " (WriteFile in the Go reference; not supported)";
            case 15 -> " (ReadFile in the Go reference; not supported)";
            case 16 -> " (ListFiles in the Go reference; not supported)";
            case 17 -> " (FileResult in the Go reference; not supported)";
            default -> "";
        };
    }
}
