package io.vsockexec.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A byte stream carried in data frames of one type (a copy's tar stream in {@code CopyData}
 * frames): what is written is gathered into frames of at most one chunk, each sent whole when it
 * is full, and {@link #finish()} sends what is left and then the empty frame that ends the
 * stream. The one buffer, a chunk and the five bytes of a header before it, is the frame that
 * goes out ({@link FrameWriter#writeWithHeaderRoom}), so nothing is copied twice; a producer
 * that reads its bytes from a stream can read them straight into it ({@link #fillFrom}).
 *
 * <p>Not thread-safe: one thread writes a stream. {@link #close()} sends nothing: a stream that
 * is abandoned (a failure) must not look complete to the peer.
 */
public final class DataFrameOutput extends OutputStream {
    /**
     * The payload of each frame but the last: {@link FrameDescriptor#MAX_COPY_DATA}, 256 KiB.
     * Four times a relay's 64 KiB: each frame boundary costs the reader a read of its own (the
     * header, through the reader's buffer), and each frame the writer a write and often a wait
     * for room (docs/PERFORMANCE.md, rows 12 and 13).
     */
    public static final int CHUNK = FrameDescriptor.MAX_COPY_DATA;

    private final FrameWriter writer;
    private final MessageType type;
    private final byte[] frame;
    private int fill = FrameDescriptor.PAYLOAD_OFFSET;
    private long written;
    private boolean finished;

    /**
     * A stream of {@code type} frames of {@link #CHUNK} bytes through {@code writer}, or of the
     * most {@code writer} sends of {@code type} if that is less.
     */
    public DataFrameOutput(FrameWriter writer, MessageType type) {
        this(writer, type, Math.min(CHUNK, FrameDescriptor.maxPayload(type, writer.maxPayload())));
    }

    /**
     * A stream of {@code type} frames of at most {@code chunk} bytes through {@code writer}.
     *
     * @throws IllegalArgumentException if {@code chunk} is not positive or exceeds the writer's limit for {@code type}
     */
    public DataFrameOutput(FrameWriter writer, MessageType type, int chunk) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.type = Objects.requireNonNull(type, "type");
        int limit = FrameDescriptor.maxPayload(type, writer.maxPayload());
        if (chunk < 1 || chunk > limit) {
            throw new IllegalArgumentException("chunk must be 1 to " + limit + " bytes, got " + chunk);
        }
        this.frame = new byte[FrameDescriptor.PAYLOAD_OFFSET + chunk];
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        frame[fill] = (byte) b;
        accepted(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        while (len > 0) {
            int n = Math.min(len, frame.length - fill);
            System.arraycopy(b, off, frame, fill, n);
            accepted(n);
            off += n;
            len -= n;
        }
    }

    /**
     * Reads at most {@code max} bytes from {@code in} straight into the frame being filled (one
     * read call), sending it if that fills it.
     *
     * @return the bytes read, or -1 at the end of {@code in}
     */
    public int fillFrom(InputStream in, int max) throws IOException {
        checkOpen();
        int n = in.read(frame, fill, Math.min(max, frame.length - fill));
        if (n > 0) {
            accepted(n);
        }
        return n;
    }

    /** The bytes written so far. */
    public long written() {
        return written;
    }

    /** Sends what is gathered, then the empty frame that ends the stream; nothing can be written after. */
    public void finish() throws IOException {
        checkOpen();
        send();
        finished = true;
        writer.write(type, frame, 0, 0);
    }

    /** Sends the frame gathered so far, if any. */
    @Override
    public void flush() throws IOException {
        checkOpen();
        send();
    }

    /** Sends nothing: only {@link #finish()} ends the stream. */
    @Override
    public void close() {
    }

    /** Counts the {@code n} bytes just put in the frame at {@link #fill}, sending the frame if they fill it. */
    private void accepted(int n) throws IOException {
        fill += n;
        written += n;
        if (fill == frame.length) {
            send();
        }
    }

    private void send() throws IOException {
        int length = fill - FrameDescriptor.PAYLOAD_OFFSET;
        if (length > 0) {
            fill = FrameDescriptor.PAYLOAD_OFFSET;
            writer.writeWithHeaderRoom(type, frame, FrameDescriptor.PAYLOAD_OFFSET, length);
        }
    }

    private void checkOpen() throws IOException {
        if (finished) {
            throw new IOException("the " + type + " stream has been finished");
        }
    }
}
