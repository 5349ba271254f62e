package io.vsockexec.protocol;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to a stream; safe for several threads at once (a session's stdout relay, stderr
 * relay and control thread share one writer).
 *
 * <p>Each frame goes out as <em>one</em> {@link OutputStream#write(byte[], int, int)} call, header
 * and payload gathered into one buffer, under a lock held by the writer, so frames from different
 * threads never interleave and a socket sees one send per frame.
 *
 * <p><b>Buffer.</b> The gathering buffer is reused under the lock, and grows with the frames it
 * carries up to {@value #RETAINED_BUFFER_LIMIT} bytes: enough for relay chunks of 64 KiB and typical JSON.
 * A larger frame is gathered in an array of its own that is dropped after the write, so one 16 MiB
 * result does not pin 16 MiB for the life of the connection. Because the buffer is reused, the
 * stream must not keep a reference to the array after {@code write} returns (no JDK stream does).
 *
 * <p><b>Failure.</b> If the stream throws while a frame is being written, part of the frame may have
 * gone out, and any later frame would be misread by the peer. So the writer fails every later
 * write with an {@link IOException} that has the first failure as its cause, and the caller closes
 * the connection. A {@link FrameTooLongException} is thrown before anything is written and does
 * not spoil the writer.
 *
 * <p>The writer does not own the stream and never closes it.
 */
public final class FrameWriter implements Flushable {
    /** The largest gathering buffer kept between frames: a 64 KiB payload (a full relay chunk) and its header. */
    static final int RETAINED_BUFFER_LIMIT = 64 * 1024 + FrameDescriptor.HEADER_LENGTH;

    private final OutputStream out;
    private final int maxPayload;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private byte[] buffer = Values.EMPTY_BYTES;
    /** Guarded by {@link #lock}: the exception that left a partial frame on the stream, or null. */
    private IOException failure;

    /** A writer with the payload limit {@link FrameDescriptor#DEFAULT_MAX_PAYLOAD}. */
    public FrameWriter(OutputStream out) {
        this(out, FrameDescriptor.DEFAULT_MAX_PAYLOAD);
    }

    /**
     * @param out the stream to write to
     * @param maxPayload the largest payload this writer sends, in bytes; should match the peer's limit
     * @throws IllegalArgumentException if {@code maxPayload} is not positive or too large for an array
     */
    public FrameWriter(OutputStream out, int maxPayload) {
        this.out = Objects.requireNonNull(out, "out");
        this.maxPayload = FrameDescriptor.checkMaxPayload("maxPayload", maxPayload);
    }

    /** The largest payload this writer sends. */
    public int maxPayload() {
        return maxPayload;
    }

    /**
     * Writes one frame.
     *
     * @throws FrameTooLongException if the payload exceeds {@link #maxPayload()}; nothing was written
     * @throws IOException if the stream fails, or failed during an earlier write
     */
    public void write(Frame frame) throws IOException {
        write(frame.type(), frame.payload(), 0, frame.payload().length);
    }

    /**
     * Writes one frame whose payload is {@code length} bytes of {@code payload} from {@code offset};
     * the way to relay a read buffer without copying it into a {@link Frame} first.
     *
     * @throws FrameTooLongException if {@code length} exceeds {@link #maxPayload()}; nothing was written
     * @throws IOException if the stream fails, or failed during an earlier write
     */
    public void write(MessageType type, byte[] payload, int offset, int length) throws IOException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.checkFromIndexSize(offset, length, payload.length);
        checkLength(type, length);
        int frameLength = FrameDescriptor.HEADER_LENGTH + length;
        lock.lock();
        try {
            checkNotFailed();
            byte[] gather = gatheringBuffer(frameLength);
            FrameDescriptor.putHeader(gather, 0, type, length);
            System.arraycopy(payload, offset, gather, FrameDescriptor.PAYLOAD_OFFSET, length);
            writeOut(gather, 0, frameLength);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes one frame whose payload is {@code length} bytes of {@code buffer} from {@code offset},
     * with the header written into the {@link FrameDescriptor#HEADER_LENGTH} bytes just before the
     * payload (they are overwritten), so that the frame goes out in one write without a copy of
     * the payload: for relays that read into a buffer with that much room at its front.
     *
     * @throws IllegalArgumentException if {@code offset} leaves no room for the header
     * @throws FrameTooLongException if {@code length} exceeds {@link #maxPayload()}; nothing was written
     * @throws IOException if the stream fails, or failed during an earlier write
     */
    public void writeWithHeaderRoom(MessageType type, byte[] buffer, int offset, int length) throws IOException {
        Objects.requireNonNull(type, "type");
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (offset < FrameDescriptor.HEADER_LENGTH) {
            throw new IllegalArgumentException("no room for the " + FrameDescriptor.HEADER_LENGTH
                    + "-byte header before a payload at offset " + offset);
        }
        checkLength(type, length);
        int start = offset - FrameDescriptor.HEADER_LENGTH;
        lock.lock();
        try {
            checkNotFailed();
            FrameDescriptor.putHeader(buffer, start, type, length);
            writeOut(buffer, start, FrameDescriptor.HEADER_LENGTH + length);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes one frame whose payload {@code payload} produces as it goes out: the header first,
     * with the length the payload announces, then the payload's bytes through the writer's
     * gathering buffer, so that it goes out in writes of up to {@value #RETAINED_BUFFER_LIMIT}
     * bytes and is never held whole. Other frames wait for the lock meanwhile.
     *
     * @throws FrameTooLongException if the payload exceeds the limit for {@code type}; nothing was written
     * @throws IOException if the stream fails, or the payload fails or writes another length than
     *     it announced: then part of the frame may have gone out and the writer is unusable
     */
    public void write(MessageType type, ByteSource payload) throws IOException {
        Objects.requireNonNull(type, "type");
        long length = payload.length();
        checkLength(type, length);
        lock.lock();
        try {
            checkNotFailed();
            FrameOutput frame = new FrameOutput(gatheringBuffer((int) Math.min(RETAINED_BUFFER_LIMIT,
                    FrameDescriptor.HEADER_LENGTH + length)), FrameDescriptor.HEADER_LENGTH + length);
            FrameDescriptor.putHeader(frame.buffer, 0, type, (int) length);
            frame.filled = FrameDescriptor.HEADER_LENGTH;
            try {
                payload.writeTo(frame);
                frame.finish();
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes one frame whose payload is {@code payload} with its content read from {@code content}
     * as it goes out, so that a file of 16 MiB never is in memory whole: the same as
     * {@link #write(MessageType, ByteSource)} with {@link StreamedPayload#from(InputStream)}.
     *
     * @throws FrameTooLongException if the payload exceeds the limit for {@code type}; nothing was written
     * @throws IOException if the stream fails, or {@code content} ends early or fails: then part of
     *     the frame may have gone out and the writer is unusable (close the connection)
     */
    public void write(MessageType type, StreamedPayload payload, InputStream content) throws IOException {
        write(type, payload.from(content));
    }

    /** A payload over the limit for its type is refused before anything is written. */
    private void checkLength(MessageType type, long length) throws FrameTooLongException {
        int limit = FrameDescriptor.maxPayload(type, maxPayload);
        if (length > limit) {
            throw new FrameTooLongException(length, limit);
        }
    }

    /**
     * The frame of a {@link ByteSource} on its way out: bytes gather in {@link #buffer} and go
     * to the stream each time it is full; more bytes than the frame announced are refused.
     */
    private final class FrameOutput extends OutputStream {
        final byte[] buffer;
        final long frameLength;
        int filled;
        long written;

        FrameOutput(byte[] buffer, long frameLength) {
            this.buffer = buffer;
            this.frameLength = frameLength;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (written + filled + len > frameLength) {
                throw new IOException("the payload is longer than the " + (frameLength - FrameDescriptor.HEADER_LENGTH)
                        + " bytes it announced");
            }
            while (len > 0) {
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    send();
                }
            }
        }

        /** Sends what is gathered; the frame must be complete. */
        void finish() throws IOException {
            send();
            if (written != frameLength) {
                throw new IOException("the payload is " + (written - FrameDescriptor.HEADER_LENGTH) + " bytes, not the "
                        + (frameLength - FrameDescriptor.HEADER_LENGTH) + " it announced");
            }
        }

        private void send() throws IOException {
            if (filled > 0) {
                out.write(buffer, 0, filled);
                written += filled;
                filled = 0;
            }
        }
    }

    /** Writes a whole frame, remembering a failure: the stream may hold part of a frame after it. */
    private void writeOut(byte[] frame, int offset, int length) throws IOException {
        try {
            out.write(frame, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Flushes the stream, after any frame being written by another thread. */
    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            checkNotFailed();
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    private void checkNotFailed() throws IOException {
        if (failure != null) {
            throw new IOException("frame writer is unusable: an earlier write failed and may have left"
                    + " a partial frame on the stream", failure);
        }
    }

    /** The reused buffer if the frame fits, grown if it may be kept, else a one-off array. */
    private byte[] gatheringBuffer(int frameLength) {
        if (frameLength <= buffer.length) {
            return buffer;
        }
        if (frameLength > RETAINED_BUFFER_LIMIT) {
            return new byte[frameLength];
        }
        // Grow to the next power of two so a run of slightly growing frames does not reallocate each time.
        int grown = Math.min(RETAINED_BUFFER_LIMIT, Integer.highestOneBit(frameLength - 1) << 1);
        buffer = new byte[Math.min(grown, maxPayload + FrameDescriptor.HEADER_LENGTH)];
        return buffer;
    }
}
