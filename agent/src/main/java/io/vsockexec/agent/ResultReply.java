package io.vsockexec.agent;

import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.Messages;
import java.io.IOException;

/** {@code ExecStream}'s ending: an {@code ExecResult} with the exit code, or with the error of a refusal. */
record ResultReply(FrameWriter writer) implements ExecReply {
    /** {@code ExecResult} with {@code error} and exit code 1. */
    @Override
    public void refuse(String reason) throws IOException {
        writer.write(Messages.encode(new Message.ExecResult(ExecResponse.failed(reason))));
    }

    @Override
    public Outcome exited(int code) throws IOException {
        writer.write(Messages.encode(new Message.ExecResult(ExecResponse.exited(code))));
        return Outcome.exited(code, "");
    }

    /** The line goes out as a {@code Stderr} frame first, as the command's own output would. */
    @Override
    public void startFailed(StartFailure failure) throws IOException {
        writer.write(Messages.encode(new Message.Stderr(ExecReply.stderrLine(failure.getMessage()))));
        writer.write(Messages.encode(new Message.ExecResult(ExecResponse.exited(failure.exitCode()))));
    }
}
