package io.vsockexec.agent;

import io.vsockexec.protocol.CopyResponse;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.Messages;
import java.io.IOException;

/** How a copy ends: one {@code CopyResult}, with the counts or the error. */
final class CopyReply {
    private CopyReply() {}

    /** Sends {@code response}; how the session ended, for its log line. */
    static Outcome send(FrameWriter writer, CopyResponse response) throws IOException {
        writer.write(Messages.encode(new Message.CopyResult(response)));
        return Outcome.completed(response.error());
    }

    /** A copy refused or failed before anything was done. */
    static Outcome fail(FrameWriter writer, String error) throws IOException {
        return send(writer, CopyResponse.failed(error));
    }
}
