package io.vsockexec.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A byte stream carried in data frames of one type (a copy's tar stream in {@code CopyData}
 * frames), read as one {@link InputStream}: each frame's payload is read from the connection as
 * the caller reads, never held whole, and the empty frame is the stream's end.
 *
 * <p>A frame of another type in the middle (the agent's {@code CopyResult} when it fails part
 * way) also ends the stream: {@link #read} returns -1, {@link #interruption()} holds that frame's
 * header, its payload not read yet, and {@link #isComplete()} stays false, so the caller can tell
 * a stream that ended from one that was cut short. The connection ending first is an
 * {@link EOFException}.
 */
public final class DataFrameInput extends ArrayInput {
    private final FrameReader reader;
    private final MessageType type;
    private InputStream payload = InputStream.nullInputStream();
    private boolean complete;
    private FrameHeader interruption;

    /** The {@code type} frames read by {@code reader}, from its next frame on. */
    public DataFrameInput(FrameReader reader, MessageType type) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * The {@code type} frames read by {@code reader}, from the frame whose header {@code first} the
     * caller has just read (to tell the stream's start from another answer), its payload unread.
     */
    public DataFrameInput(FrameReader reader, MessageType type, FrameHeader first) {
        this(reader, type);
        accept(Objects.requireNonNull(first, "first"));
    }

    @Override
    protected int readRange(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            // The rest of the frame is on its way already (a frame goes out in one write): take as
            // much of it as fits in one call, so that a reader behind a small buffer (whose header
            // read pulled in a few KiB of the payload) does not see each frame in two pieces and
            // write it out in two system calls.
            int n = payload.readNBytes(b, off, len);
            if (n > 0) {
                return n;
            }
            if (!nextFrame()) {
                return -1;
            }
        }
    }

    /** True once the empty frame that ends the stream has been read. */
    public boolean isComplete() {
        return complete;
    }

    /** The header of the frame of another type that cut the stream short, its payload unread; null if none did. */
    public FrameHeader interruption() {
        return interruption;
    }

    /** Reads and drops the rest of the stream; returns the bytes dropped. */
    public long drain() throws IOException {
        return transferTo(java.io.OutputStream.nullOutputStream());
    }

    /** Moves to the next frame's payload; false at the stream's end. */
    private boolean nextFrame() throws IOException {
        if (complete || interruption != null) {
            return false;
        }
        FrameHeader header = reader.readHeader();
        if (header == null) {
            throw new EOFException("the connection ended inside a stream of " + type + " frames");
        }
        return accept(header);
    }

    /** Takes the frame of {@code header}: its payload next, or the stream's end; false at the end. */
    private boolean accept(FrameHeader header) {
        if (header.type() != type) {
            interruption = header;
            return false;
        }
        if (header.length() == 0) {
            complete = true;
            return false;
        }
        payload = reader.payload(header);
        return true;
    }
}
