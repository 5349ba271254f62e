package io.vsockexec.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Objects;

/**
 * A JSON payload with one base64 string in it whose bytes come from a stream: the JSON before the
 * string's content, the content's length, the JSON after it. Its length is known before a byte is
 * read, so a frame can carry it with its header first ({@link FrameWriter#write(MessageType,
 * StreamedPayload, InputStream)}), and it goes out through two fixed arrays, whatever the size
 * of the content. {@link FileRequestPayloads} and {@link FileResultPayloads} make them: a
 * WriteFile request, a FileResult with a file.
 */
public final class StreamedPayload {
    /** Bytes read at a time: a multiple of 3, so that only the last piece of base64 has padding. */
    private static final int RAW_CHUNK = 48 * 1024;

    private final byte[] head;
    private final long contentLength;
    private final byte[] tail;

    StreamedPayload(byte[] head, long contentLength, byte[] tail) {
        if (contentLength < 0) {
            throw new IllegalArgumentException("content length must not be negative: " + contentLength);
        }
        this.head = head;
        this.contentLength = contentLength;
        this.tail = tail;
    }

    /** The number of content bytes the payload carries. */
    public long contentLength() {
        return contentLength;
    }

    /** The payload's length in bytes: the JSON around the content and the content's base64. */
    public long length() {
        return head.length + base64Length(contentLength) + tail.length;
    }

    /** The length of the padded base64 of {@code bytes} bytes. */
    public static long base64Length(long bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /**
     * Writes the payload to {@code out}: its JSON, with exactly {@link #contentLength()} bytes of
     * {@code content} in base64. Bytes after those are not read.
     *
     * @throws EOFException if {@code content} ends before {@link #contentLength()} bytes
     */
    public void writeTo(OutputStream out, InputStream content) throws IOException {
        Objects.requireNonNull(content, "content");
        out.write(head);
        byte[] raw = new byte[(int) Math.min(RAW_CHUNK, contentLength)];
        byte[] encoded = new byte[(int) base64Length(raw.length)];
        Base64.Encoder encoder = Base64.getEncoder();
        long remaining = contentLength;
        while (remaining > 0) {
            int want = (int) Math.min(raw.length, remaining);
            int got = content.readNBytes(raw, 0, want);
            if (got < want) {
                throw new EOFException("content ended after " + (contentLength - remaining + got) + " of "
                        + contentLength + " bytes");
            }
            // The encoder takes whole arrays: only a short last piece needs one of its own.
            byte[] piece = got == raw.length ? raw : java.util.Arrays.copyOf(raw, got);
            int n = encoder.encode(piece, encoded);
            out.write(encoded, 0, n);
            remaining -= got;
        }
        out.write(tail);
    }

    /** This payload with its content read from {@code content} as it is written: what a frame carries. */
    public ByteSource from(InputStream content) {
        Objects.requireNonNull(content, "content");
        return new ByteSource() {
            @Override
            public long length() {
                return StreamedPayload.this.length();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                StreamedPayload.this.writeTo(out, content);
            }
        };
    }

    @Override
    public String toString() {
        return "StreamedPayload[" + length() + " bytes, " + contentLength + " of content]";
    }
}
