package io.vsockexec.agent;

import io.vsockexec.protocol.FileResponse;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.Messages;
import java.io.IOException;

/** How a file request ends: one {@code FileResult}, with the result or the error. */
final class FileReply {
    private FileReply() {}

    /** {@code {}} for an empty {@code error}, else {@code {"error":...}}; how the session ended, for its log line. */
    static Outcome send(FrameWriter writer, String error) throws IOException {
        send(writer, error.isEmpty() ? FileResponse.ok() : FileResponse.failed(error));
        return Outcome.completed(error);
    }

    static void send(FrameWriter writer, FileResponse response) throws IOException {
        writer.write(Messages.encode(new Message.FileResult(response)));
    }
}
