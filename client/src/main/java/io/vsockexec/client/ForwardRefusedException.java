package io.vsockexec.client;

/**
 * The agent could not open a port forward and said why, as a {@code Stderr} line: nothing listens
 * on the port, the host name does not resolve, the port is 0. The message names the target and the
 * endpoint and quotes the agent, e.g. {@code port forward to 127.0.0.1:8080 through
 * unix:///run/a.sock refused: connect 127.0.0.1:8080 failed: connection refused}.
 */
public final class ForwardRefusedException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    private final String target;
    private final String remoteError;

    /**
     * @param message the whole message
     * @param target the host and port asked for, {@code HOST:PORT}
     * @param remoteError the agent's reason, as sent
     */
    public ForwardRefusedException(String message, String target, String remoteError) {
        super(message);
        this.target = target;
        this.remoteError = remoteError;
    }

    /** The host and port asked for, {@code HOST:PORT}. */
    public String target() {
        return target;
    }

    /** The agent's reason, as sent. */
    public String remoteError() {
        return remoteError;
    }
}
