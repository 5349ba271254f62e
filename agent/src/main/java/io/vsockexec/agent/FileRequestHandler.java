package io.vsockexec.agent;

import io.vsockexec.protocol.FrameWriter;
import java.io.IOException;

/**
 * What the file requests ({@code WriteFile}, {@code ReadFile}, {@code ListFiles}) have in common:
 * each is answered by one {@code FileResult}, and refused with one, its {@code error} the reason,
 * as the Go agent refuses them.
 */
abstract class FileRequestHandler implements RequestHandler {
    private final Kind kind;

    FileRequestHandler(Kind kind) {
        this.kind = kind;
    }

    @Override
    public final Kind kind() {
        return kind;
    }

    @Override
    public final void refuse(FrameWriter writer, String reason) throws IOException {
        FileReply.send(writer, reason);
    }
}
