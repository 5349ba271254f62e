package io.vsockexec.client;

/**
 * A readiness endpoint did not accept a connection before the deadline. The cause is the last
 * attempt's failure, e.g. a {@link ConnectFailedException} for a refused connection or a
 * {@link HandshakeRefusedException} for a VM that has not started its agent yet.
 */
public final class NotReadyException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    /** The endpoint did not become ready; {@code cause} is the last attempt's failure, or null. */
    public NotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}
