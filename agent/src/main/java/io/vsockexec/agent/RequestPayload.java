package io.vsockexec.agent;

import io.vsockexec.protocol.MessageType;
import java.io.InputStream;
import java.util.Objects;

/**
 * A connection's first frame as its handler takes it: the type, and the payload either read whole
 * (every request but a file write) or left on the connection as a stream of exactly its length,
 * for a handler that {@linkplain RequestHandler#streamsPayload() streams} it: a WriteFile frame
 * may carry 22 MB, which the agent decodes into the file as it arrives and never holds.
 * {@link ConnectionHandler} reads the frame (a whole payload within the request timeout).
 */
final class RequestPayload {
    private final MessageType type;
    private final byte[] bytes;
    private final InputStream stream;

    private RequestPayload(MessageType type, byte[] bytes, InputStream stream) {
        this.type = type;
        this.bytes = bytes;
        this.stream = stream;
    }

    /** A payload held whole. */
    static RequestPayload of(MessageType type, byte[] bytes) {
        return new RequestPayload(Objects.requireNonNull(type, "type"), Objects.requireNonNull(bytes, "bytes"), null);
    }

    /** A payload left on the connection: {@code stream} gives exactly its bytes. */
    static RequestPayload streamed(MessageType type, InputStream stream) {
        return new RequestPayload(Objects.requireNonNull(type, "type"), null, Objects.requireNonNull(stream, "stream"));
    }

    MessageType type() {
        return type;
    }

    /**
     * The payload, whole.
     *
     * @throws IllegalStateException if it was left on the connection as a stream
     */
    byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("the payload of " + type + " is a stream");
        }
        return bytes;
    }

    /** The payload as a stream of exactly its length: on the connection, or over the bytes held. */
    InputStream stream() {
        return stream != null ? stream : new java.io.ByteArrayInputStream(bytes);
    }
}
