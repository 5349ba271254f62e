package io.vsockexec.agent;

import java.nio.charset.StandardCharsets;

/**
 * The command could not be started although the request was valid: the program is missing or
 * not executable, the working directory or the user does not exist. Reported the way a shell and
 * {@code docker exec} report it: a line on the command's standard error and an exit code (127 for
 * a missing program, 126 for everything else).
 */
final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** A program that was not found. */
    static final int NOT_FOUND = 127;
    /** Found but not startable: not executable, a bad directory or user. */
    static final int CANNOT_EXECUTE = 126;

    private final int exitCode;

    StartFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code the command reports. */
    int exitCode() {
        return exitCode;
    }

    /** The line written to the command's standard error ({@link ExecReply#stderrLine} of the message), as text. */
    String stderrLine() {
        return new String(ExecReply.stderrLine(getMessage()), StandardCharsets.UTF_8);
    }
}
