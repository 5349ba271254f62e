package io.vsockexec.client;

/**
 * The command was cancelled by the caller ({@link PipeExecution#close()},
 * {@link TtySession#close()} before it exited); the agent stops it when the connection closes.
 */
public final class ExecCancelledException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    /** A cancelled command. */
    public ExecCancelledException(String message) {
        super(message);
    }
}
