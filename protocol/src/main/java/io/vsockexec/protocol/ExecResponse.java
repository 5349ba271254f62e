package io.vsockexec.protocol;

import java.util.Objects;

/**
 * The outcome of a command in {@link MessageType#EXEC} or {@link MessageType#EXEC_STREAM} mode:
 * the payload of {@link MessageType#EXEC_RESULT}, and Go's {@code ExecResponse}. Encoded by
 * {@link ExecPayloads}.
 *
 * <p>A null {@code stdout}, {@code stderr} or {@code error} becomes empty. The output is
 * {@link Bytes}: compared by content, shown in {@link #toString} by its length only.
 *
 * @param exitCode the command's exit status: 0 to 255 for a normal exit, 128+N when killed by
 *     signal N (the Go agent reports -1), 1 with {@code error} set when the command could not run
 * @param stdout everything the command wrote to standard output ({@link MessageType#EXEC} mode only)
 * @param stderr everything the command wrote to standard error ({@link MessageType#EXEC} mode only)
 * @param error why the command could not be run, or empty; when set, the command did not run
 *     (or not to completion) whatever {@code exitCode} says
 */
public record ExecResponse(int exitCode, Bytes stdout, Bytes stderr, String error) {

    public ExecResponse {
        stdout = Values.bytes(stdout);
        stderr = Values.bytes(stderr);
        error = Values.optional(error);
    }

    /** An exit code with no output and no error, as {@link MessageType#EXEC_STREAM} mode ends. */
    public static ExecResponse exited(int exitCode) {
        return new ExecResponse(exitCode, null, null, null);
    }

    /** A request that could not be run: exit code 1 and the reason. */
    public static ExecResponse failed(String error) {
        return new ExecResponse(1, null, null, Objects.requireNonNull(error, "error"));
    }
}
