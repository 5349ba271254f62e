package io.vsockexec.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Reads frames from a stream, one at a time, with a mandatory payload limit.
 *
 * <p>What {@link #read()} does at each kind of trouble, and where the stream is left:
 * <table>
 *   <caption>outcomes of {@code read()}</caption>
 *   <tr><th>the stream</th><th>result</th><th>stream afterwards</th></tr>
 *   <tr><td>ends before the first header byte</td><td>returns {@code null}</td><td>at its end</td></tr>
 *   <tr><td>ends inside a header or payload</td><td>{@link EOFException}, saying how many bytes were expected and got</td><td>at its end</td></tr>
 *   <tr><td>claims a payload over the limit</td><td>{@link FrameTooLongException}, before anything is allocated or read past the header</td><td>inside the frame: close it</td></tr>
 *   <tr><td>has an unknown type byte</td><td>{@link UnknownMessageTypeException}, after skipping the payload</td><td>at the next frame</td></tr>
 * </table>
 * The length is checked before the type, so a frame that is both too long and of an unknown type
 * is reported as too long (it cannot be skipped without reading an unbounded amount).
 *
 * <p>The stream may return any number of bytes per read, down to one; the reader loops. It does
 * no buffering of its own: give it a {@link java.io.BufferedInputStream} if the stream is costly
 * to read in small pieces (each frame takes two reads at least: header, then payload).
 *
 * <p>Not thread-safe: one thread reads a connection. The reader does not own the stream and never
 * closes it.
 */
public final class FrameReader {
    private static final IntFunction<byte[]> NEW_ARRAY = byte[]::new;
    /** Unknown payloads are skipped through a buffer of at most this size, not allocated whole. */
    private static final int SKIP_BUFFER = 8192;

    private final InputStream in;
    private final int maxPayload;
    private final byte[] header = new byte[FrameDescriptor.HEADER_LENGTH];

    /**
     * @param in the stream to read from
     * @param maxPayload the largest payload accepted, in bytes; {@link FrameDescriptor#DEFAULT_MAX_PAYLOAD}
     *     unless configured otherwise
     * @throws IllegalArgumentException if {@code maxPayload} is not positive or too large for an array
     */
    public FrameReader(InputStream in, int maxPayload) {
        this.in = Objects.requireNonNull(in, "in");
        this.maxPayload = FrameDescriptor.checkMaxPayload("maxPayload", maxPayload);
    }

    /** The largest payload this reader accepts. */
    public int maxPayload() {
        return maxPayload;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or {@code null} if and only if the stream ended cleanly at a frame boundary
     * @throws EOFException if the stream ends inside a frame
     * @throws FrameTooLongException if the header claims more than {@link #maxPayload()} bytes
     * @throws UnknownMessageTypeException if the type byte is unknown; its payload has been skipped
     */
    public Frame read() throws IOException {
        return read(NEW_ARRAY);
    }

    /**
     * Reads the next frame into a payload array from {@code payloadArrays}, which is given the
     * payload's length (checked against the limit already) and must return an array of exactly
     * that length, a fresh one or one it recycles: a reader of bulk input can so reuse the arrays
     * it has finished with instead of allocating one per frame.
     *
     * @return the frame, or {@code null} if and only if the stream ended cleanly at a frame boundary
     * @throws IllegalStateException if {@code payloadArrays} returns an array of another length
     * @see #read()
     */
    public Frame read(IntFunction<byte[]> payloadArrays) throws IOException {
        Objects.requireNonNull(payloadArrays, "payloadArrays");
        int got = readFully(header, FrameDescriptor.HEADER_LENGTH);
        if (got == 0) {
            return null;
        }
        if (got < FrameDescriptor.HEADER_LENGTH) {
            throw new EOFException("stream ended inside a frame header: expected "
                    + FrameDescriptor.HEADER_LENGTH + " bytes, got " + got);
        }
        int code = FrameDescriptor.getTypeCode(header, 0);
        long claimed = FrameDescriptor.getPayloadLength(header, 0);
        if (claimed > maxPayload) {
            throw new FrameTooLongException(claimed, maxPayload, code);
        }
        int length = (int) claimed;
        MessageType type = MessageType.lookup(code);
        if (type == null) {
            skip(length, code);
            throw new UnknownMessageTypeException(code);
        }
        return new Frame(type, readPayload(type, length, payloadArrays));
    }

    private byte[] readPayload(MessageType type, int length, IntFunction<byte[]> payloadArrays) throws IOException {
        if (length == 0) {
            return Values.EMPTY_BYTES;
        }
        byte[] payload = payloadArrays.apply(length);
        if (payload.length != length) {
            throw new IllegalStateException("payload array of " + payload.length + " bytes for a payload of " + length);
        }
        int got = readFully(payload, length);
        if (got < length) {
            throw new EOFException("stream ended inside the payload of a " + type + " frame: expected "
                    + length + " bytes, got " + got);
        }
        return payload;
    }

    private void skip(int length, int code) throws IOException {
        byte[] scratch = new byte[Math.min(length, SKIP_BUFFER)];
        int skipped = 0;
        while (skipped < length) {
            int n = in.read(scratch, 0, Math.min(scratch.length, length - skipped));
            if (n < 0) {
                throw new EOFException("stream ended inside the payload of a frame of unknown type " + code
                        + ": expected " + length + " bytes, got " + skipped);
            }
            skipped += n;
        }
    }

    /** Reads until {@code length} bytes are in {@code buffer} or the stream ends; returns how many arrived. */
    private int readFully(byte[] buffer, int length) throws IOException {
        int got = 0;
        while (got < length) {
            int n = in.read(buffer, got, length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }
}
