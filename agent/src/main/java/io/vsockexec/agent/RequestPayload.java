package io.vsockexec.agent;

import io.vsockexec.protocol.FrameHeader;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameTooLongException;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A connection's first frame as its handler takes it: the type, and the payload either read whole
 * (every request but a file write) or left on the connection as a stream of exactly its length,
 * for a handler that {@linkplain RequestHandler#streamsPayload() streams} it: a WriteFile frame
 * may carry 22 MB, which the agent decodes into the file as it arrives and never holds.
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

    /**
     * Reads the first frame: its header, and its payload whole unless the handler of its type
     * streams it. A frame read whole is bounded by the reader's limit; a streamed one by the limit
     * of its type ({@link io.vsockexec.protocol.FrameDescriptor#maxPayload}).
     *
     * @return the frame, or null if the connection ended before its first byte
     * @throws FrameTooLongException if the payload is over its limit; nothing of it was read
     */
    static RequestPayload read(FrameReader reader, RequestHandlers handlers) throws IOException {
        FrameHeader header = reader.readHeader();
        if (header == null) {
            return null;
        }
        RequestHandler handler = handlers.forCode(header.type().code());
        if (handler != null && handler.streamsPayload()) {
            return new RequestPayload(header.type(), null, reader.payload(header));
        }
        if (header.length() > reader.maxPayload()) {
            throw new FrameTooLongException(header.length(), reader.maxPayload(), header.type().code());
        }
        return new RequestPayload(header.type(), reader.readPayload(header), null);
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
