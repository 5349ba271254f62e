package io.vsockexec.client;

/**
 * The agent answered with an error instead of (or besides) a result: it rejected the request (a
 * malformed payload, a relative working directory), it was too busy, or the buffered output did
 * not fit one frame and was truncated. The message quotes the agent's {@code error} field. (A
 * program, directory or user that does not exist is reported by the vsockexec agent as the
 * command's own failure, exit code 127 or 126 with the reason on its standard error, as
 * {@code docker exec} does.)
 */
public final class RemoteExecException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    private final String remoteError;
    private final int exitCode;

    /**
     * @param message the whole message, naming the endpoint and quoting {@code remoteError}
     * @param remoteError the agent's {@code error} field, as sent
     * @param exitCode the exit code the agent sent with it (1 when the command did not run)
     */
    public RemoteExecException(String message, String remoteError, int exitCode) {
        super(message);
        this.remoteError = remoteError;
        this.exitCode = exitCode;
    }

    /** The agent's {@code error} field, as sent. */
    public String remoteError() {
        return remoteError;
    }

    /**
     * The exit code the agent sent alongside the error: 1 when the command could not be run, the
     * command's real exit code when its buffered output was truncated.
     */
    public int exitCode() {
        return exitCode;
    }
}
