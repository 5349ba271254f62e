package io.vsockexec.agent;

/**
 * The host asked for something the agent will not do: a malformed or invalid request, or more
 * sessions than allowed. Answered in the mode's error way ({@code ExecResult.error}, or a
 * {@code Stderr} line and {@code Exit 1}); no process is started.
 */
final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;

    RequestException(String message) {
        super(message);
    }

    RequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
