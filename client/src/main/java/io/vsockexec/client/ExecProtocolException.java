package io.vsockexec.client;

/**
 * The agent broke the wire protocol: a frame longer than the limit, of an unknown type, with a
 * corrupt payload, or of a type that has no place in the session's mode. The connection has been
 * closed (which cancels the command). The cause, when the codec found the problem, is the
 * protocol module's {@link io.vsockexec.protocol.ProtocolException}.
 */
public final class ExecProtocolException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    /** A protocol violation; {@code cause} may be null. */
    public ExecProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
