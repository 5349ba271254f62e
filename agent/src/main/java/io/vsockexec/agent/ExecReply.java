package io.vsockexec.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * How an exec session ends on the wire, chosen by its mode: an {@code ExecResult}
 * ({@link ResultReply}, or {@link BufferedReply} with the output in it) or an {@code Exit}
 * ({@link ExitReply}). Each method writes the session's last frames.
 */
interface ExecReply {
    /** The command exited with {@code code}; how the session ended, for its log line. */
    Outcome exited(int code) throws IOException;

    /** The command could not be started: a line on its standard error and the failure's exit code. */
    void startFailed(StartFailure failure) throws IOException;

    /** The request is not served, for {@code reason}. */
    void refuse(String reason) throws IOException;

    /** {@code vsockexec: REASON} and a newline, as the command's standard error shows it. */
    static byte[] stderrLine(String reason) {
        return ("vsockexec: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
