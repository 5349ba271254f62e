package io.vsockexec.cli;

/** A failure the CLI reports as one line with a chosen exit status. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode the process exit status to end with
     * @param message the line printed after {@code vsockexec: }
     */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** The exit status. */
    public int exitCode() {
        return exitCode;
    }
}
