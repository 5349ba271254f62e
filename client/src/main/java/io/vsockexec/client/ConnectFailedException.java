package io.vsockexec.client;

/**
 * The agent could not be reached: no socket file, connection refused, no route, a connect timeout.
 * The message reads {@code cannot connect to ENDPOINT: REASON}, e.g.
 * {@code cannot connect to unix:///tmp/x.sock: ENOENT (No such file or directory)}; the cause is
 * the transport's exception.
 */
public class ConnectFailedException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    /** A failure to reach the agent, with the transport's exception as the cause. */
    public ConnectFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
