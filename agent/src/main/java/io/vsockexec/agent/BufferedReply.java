package io.vsockexec.agent;

import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.FrameTooLongException;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import java.io.IOException;

/**
 * {@code Exec}'s ending: one {@code ExecResult} that holds the exit code and the buffered output,
 * encoded from the output's chunks straight into the frame: its length is known first, so the
 * header goes out before any base64 exists, and each chunk's memory is given back once encoded.
 */
record BufferedReply(FrameWriter writer, OutputBuffer buffer) implements ExecReply {
    /** The outcome's error says how much output did not fit, if any. */
    @Override
    public Outcome exited(int code) throws IOException {
        String error = buffer.error();
        try {
            writer.write(MessageType.EXEC_RESULT, ExecPayloads.execResult(code, buffer.stdout(), buffer.stderr(), error));
        } catch (FrameTooLongException e) {
            // Cannot happen with the limit of OutputBuffer; if it did, the host still gets an answer.
            send(new ExecResponse(code, null, null,
                    "the output does not fit one frame of " + e.limit() + " bytes; use streaming (ExecStream)"));
        } finally {
            buffer.release();
        }
        return Outcome.exited(code, error);
    }

    /** The line is the result's standard error. */
    @Override
    public void startFailed(StartFailure failure) throws IOException {
        send(new ExecResponse(failure.exitCode(), null, Bytes.of(ExecReply.stderrLine(failure.getMessage())), null));
    }

    @Override
    public void refuse(String reason) throws IOException {
        new ResultReply(writer).refuse(reason);
    }

    private void send(ExecResponse response) throws IOException {
        writer.write(Messages.encode(new Message.ExecResult(response)));
    }
}
