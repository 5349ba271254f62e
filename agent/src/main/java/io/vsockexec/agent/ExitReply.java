package io.vsockexec.agent;

import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.Messages;
import java.io.IOException;

/** The ending of the interactive modes, {@code ExecPipe} and {@code ExecTTY}: an {@code Exit} frame. */
record ExitReply(FrameWriter writer) implements ExecReply {
    @Override
    public Outcome exited(int code) throws IOException {
        writer.write(Messages.encode(new Message.Exit(code)));
        return Outcome.exited(code, "");
    }

    @Override
    public void startFailed(StartFailure failure) throws IOException {
        lineAndExit(failure.getMessage(), failure.exitCode());
    }

    /** A {@code Stderr} line with the reason, then {@code Exit 1}. */
    @Override
    public void refuse(String reason) throws IOException {
        lineAndExit(reason, 1);
    }

    private void lineAndExit(String reason, int code) throws IOException {
        writer.write(Messages.encode(new Message.Stderr(ExecReply.stderrLine(reason))));
        writer.write(Messages.encode(new Message.Exit(code)));
    }
}
