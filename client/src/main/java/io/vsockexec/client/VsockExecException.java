package io.vsockexec.client;

import java.io.IOException;

/**
 * Base of every failure the SDK reports, other than an interruption (which is a
 * {@link java.io.InterruptedIOException}) and invalid arguments (which are
 * {@link IllegalArgumentException}s). The subclasses say what went wrong; the message always
 * names the endpoint.
 *
 * <ul>
 *   <li>{@link ConnectFailedException}: the agent could not be reached ({@link HandshakeRefusedException}
 *       when a hybrid VM socket refused the guest port);</li>
 *   <li>{@link ExecTimeoutException}: the command's time limit passed;</li>
 *   <li>{@link ExecCancelledException}: the caller cancelled the command;</li>
 *   <li>{@link ConnectionLostException}: the connection broke before the command's final frame;</li>
 *   <li>{@link ExecProtocolException}: the agent broke the wire protocol;</li>
 *   <li>{@link RemoteExecException}: the agent could not run the command as asked;</li>
 *   <li>{@link LocalFileException}: a copy's file on this machine could not be read or written;</li>
 *   <li>{@link NotReadyException}: a readiness endpoint did not accept in time.</li>
 * </ul>
 * A plain {@code VsockExecException} reports a local failure while a command ran, such as the
 * caller's standard input stream failing to read.
 */
public class VsockExecException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public VsockExecException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public VsockExecException(String message, Throwable cause) {
        super(message, cause);
    }
}
