package io.vsockexec.client;

/**
 * The connection to the agent ended or broke before the command's final frame: the agent or its VM
 * went away, the connection was reset, or the stream ended in the middle of a frame. Whether the
 * command ran to completion is unknown.
 */
public final class ConnectionLostException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    /** A lost connection; {@code cause} is the transport's exception, or null for a clean end of stream. */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
