package io.vsockexec.agent;

import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;

/**
 * Serves one kind of request: the message type of a connection's first frame picks the handler
 * ({@link RequestHandlers}), which decodes the request and opens the {@link Exchange} that serves
 * it. The four exec modes are handlers; a new kind of request (a file transfer, a port forward)
 * is a new handler registered for its message type, and nothing else changes.
 *
 * <p>A handler holds no state of its own: one instance serves every connection of an agent.
 */
interface RequestHandler {
    /**
     * What a handler serves.
     *
     * @param type the message type of the request
     * @param name the request's name as the protocol documents it, e.g. {@code ExecTTY}
     * @param label the name in the session's log line, e.g. {@code exec-tty}
     */
    record Kind(MessageType type, String name, String label) {}

    /** What this handler serves. */
    Kind kind();

    /**
     * Answers a request that will not be served (busy, shutting down, too long, invalid), in this
     * request's own way, as the last frame on the connection.
     */
    void refuse(FrameWriter writer, String reason) throws IOException;

    /**
     * Whether this request's payload is left on the connection for the exchange to read as it
     * arrives ({@link RequestPayload#stream()}) rather than read whole before {@link #open}: for a
     * request that may carry more than the frame limit, a file write.
     */
    default boolean streamsPayload() {
        return false;
    }

    /**
     * Decodes the request and prepares to serve it on {@code host}; nothing starts before
     * {@link Exchange#run()}. A streamed payload is decoded by the exchange as it runs.
     *
     * @throws CorruptFrameException if the payload is not a valid request of this type
     */
    Exchange open(RequestPayload payload, HostConnection host, SessionContext context) throws CorruptFrameException;
}
