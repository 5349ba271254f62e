package io.vsockexec.client;

import java.time.Duration;

/**
 * The command's time limit ({@link Command#timeout()}) passed before it finished. The connection
 * has been closed, which makes the agent stop the command (SIGTERM to its process group, then
 * SIGKILL after the agent's grace period).
 */
public final class ExecTimeoutException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /** The limit {@code timeout} passed; the cause is the transport's timeout, if any. */
    public ExecTimeoutException(String message, Duration timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** The limit that passed. */
    public Duration timeout() {
        return timeout;
    }
}
