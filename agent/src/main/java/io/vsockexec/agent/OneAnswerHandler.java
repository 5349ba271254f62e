package io.vsockexec.agent;

import io.vsockexec.protocol.FrameWriter;
import java.io.IOException;

/**
 * A handler whose requests are answered by one message of their own type (a {@code FileResult}, a
 * {@code CopyResult}), and refused by one, its error the reason: the host waits for that message
 * whichever way the request ends.
 */
abstract class OneAnswerHandler implements RequestHandler {
    /** Sends the one answer of a refused request. */
    @FunctionalInterface
    interface Refusal {
        void send(FrameWriter writer, String reason) throws IOException;
    }

    private final Kind kind;
    private final Refusal refusal;

    OneAnswerHandler(Kind kind, Refusal refusal) {
        this.kind = kind;
        this.refusal = refusal;
    }

    @Override
    public final Kind kind() {
        return kind;
    }

    @Override
    public final void refuse(FrameWriter writer, String reason) throws IOException {
        refusal.send(writer, reason);
    }
}
