package io.vsockexec.agent;

import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The four kinds of session, named by the request's type, and how each ends: with an
 * {@code ExecResult} ({@link #EXEC}, {@link #STREAM}) or an {@code Exit} ({@link #PIPE},
 * {@link #TTY}). A request that cannot be served is answered in the mode's own way.
 */
enum Mode {
    EXEC(MessageType.EXEC, "exec"),
    STREAM(MessageType.EXEC_STREAM, "exec-stream"),
    PIPE(MessageType.EXEC_PIPE, "exec-pipe"),
    TTY(MessageType.EXEC_TTY, "exec-tty");

    private final MessageType request;
    private final String label;

    Mode(MessageType request, String label) {
        this.request = request;
        this.label = label;
    }

    /** The mode a request type byte asks for, or null if the byte is not a request. */
    static Mode of(int typeCode) {
        for (Mode m : values()) {
            if (m.request.code() == typeCode) {
                return m;
            }
        }
        return null;
    }

    /** The name in log lines. */
    String label() {
        return label;
    }

    /** True for the modes that end with {@code Exit} and take {@code Stdin} and {@code Signal} frames. */
    boolean interactive() {
        return this == PIPE || this == TTY;
    }

    /**
     * Answers a request that was not served: {@code ExecResult} with {@code error} and exit code 1,
     * or a {@code Stderr} line and {@code Exit 1}. A null mode (the first frame was no request)
     * is answered with an {@code ExecResult}, which every host that waits for one understands.
     */
    static void answerError(Mode mode, FrameWriter writer, String reason) throws IOException {
        if (mode != null && mode.interactive()) {
            writer.write(Messages.encode(new Message.Stderr(line(reason))));
            writer.write(Messages.encode(new Message.Exit(1)));
        } else {
            writer.write(Messages.encode(new Message.ExecResult(ExecResponse.failed(reason))));
        }
    }

    /** {@code vsockexec: REASON} and a newline, as the command's standard error shows it. */
    static byte[] line(String reason) {
        return ("vsockexec: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
