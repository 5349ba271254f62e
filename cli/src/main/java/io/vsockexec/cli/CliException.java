package io.vsockexec.cli;

/**
 * A failure the CLI reports as one line on stderr and ends with a chosen exit status; a bad
 * command line adds a second line pointing to the command's help.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String helpOf;

    private CliException(int status, String message, String helpOf, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.helpOf = helpOf;
    }

    /** A word of the command line that {@code command} (e.g. {@code vsockexec exec}) cannot take: status 2 and a help hint. */
    static CliException badCommandLine(String message, String command) {
        return new CliException(ExitCodes.USAGE, message, command, null);
    }

    /** A command line that parses but cannot be run as given (no endpoint, a bad variable): status 2. */
    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message, null, null);
    }

    /** A failure ending the process with {@code status}. */
    static CliException failure(int status, String message, Throwable cause) {
        return new CliException(status, message, null, cause);
    }

    /** The exit status. */
    int status() {
        return status;
    }

    /** The command whose {@code --help} the message points to, e.g. {@code vsockexec exec}; null for none. */
    String helpOf() {
        return helpOf;
    }
}
