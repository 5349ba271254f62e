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
 * <p><b>Memory follows the bytes that arrived.</b> A payload's array starts at
 * {@value #FIRST_ALLOCATION} bytes (or the payload's length, if smaller) and grows as its bytes
 * arrive: four times larger while it is below {@value #QUADRUPLE_BELOW} bytes, then twice, until
 * the last step allocates exactly the payload's length; a payload that the stream says has
 * arrived whole (its {@code available()}) gets that last array at once. So a peer that sends a
 * header claiming 16 MiB and then nothing makes the reader hold {@value #FIRST_ALLOCATION} bytes,
 * and the array is never more than four times what arrived. Each allocation is announced first to the reader's
 * {@link PayloadMemory}, which may make the reader wait for memory.
 *
 * <p><b>Frames that carry a file.</b> {@link #read()} holds every payload whole and applies
 * {@link #maxPayload()} to every type. A caller that reads the header first
 * ({@link #readHeader()}) gets the limit of the frame's type instead, which for WriteFile and
 * FileResult is at least {@link FrameDescriptor#MAX_FILE_PAYLOAD}, and may then take the payload
 * as a stream of exactly its length ({@link #payload}), never holding it whole.
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
    /** The array a payload starts with, before any of its bytes has arrived. */
    static final int FIRST_ALLOCATION = 4 * 1024;
    /** Below this, a full array grows fourfold (few copies for typical frames); from here on, twofold. */
    static final int QUADRUPLE_BELOW = 64 * 1024;

    private final InputStream in;
    private final int maxPayload;
    private final PayloadMemory memory;
    private final byte[] header = new byte[FrameDescriptor.HEADER_LENGTH];

    /**
     * A reader whose payloads are not counted ({@link PayloadMemory#UNCOUNTED}).
     *
     * @param in the stream to read from
     * @param maxPayload the largest payload accepted, in bytes; {@link FrameDescriptor#DEFAULT_MAX_PAYLOAD}
     *     unless configured otherwise
     * @throws IllegalArgumentException if {@code maxPayload} is not positive or too large for an array
     */
    public FrameReader(InputStream in, int maxPayload) {
        this(in, maxPayload, PayloadMemory.UNCOUNTED);
    }

    /**
     * A reader that tells {@code memory} before each allocation for a payload.
     *
     * @param in the stream to read from
     * @param maxPayload the largest payload accepted, in bytes
     * @param memory told of every allocation for a payload, before it is made
     * @throws IllegalArgumentException if {@code maxPayload} is not positive or too large for an array
     */
    public FrameReader(InputStream in, int maxPayload, PayloadMemory memory) {
        this.in = Objects.requireNonNull(in, "in");
        this.maxPayload = FrameDescriptor.checkMaxPayload("maxPayload", maxPayload);
        this.memory = Objects.requireNonNull(memory, "memory");
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
     * it has finished with instead of allocating one per frame. It is asked once the array of
     * that length is due: at once for a payload of at most {@value #FIRST_ALLOCATION} bytes, else
     * when the bytes before it have arrived.
     *
     * @return the frame, or {@code null} if and only if the stream ended cleanly at a frame boundary
     * @throws IllegalStateException if {@code payloadArrays} returns an array of another length
     * @see #read()
     */
    public Frame read(IntFunction<byte[]> payloadArrays) throws IOException {
        Objects.requireNonNull(payloadArrays, "payloadArrays");
        FrameHeader h = readHeader(maxPayload);
        return h == null ? null : new Frame(h.type(), readPayload(h.type(), h.length(), payloadArrays));
    }

    /**
     * Reads the next frame's header only, checking its length against the limit for its type
     * ({@link FrameDescriptor#maxPayload(MessageType, int)}: at least
     * {@link FrameDescriptor#MAX_FILE_PAYLOAD} for the two types that carry a file). The payload
     * must be taken next, whole by {@link #readPayload} or as a stream by {@link #payload}, before
     * the next frame is read. {@link #read()} instead applies {@link #maxPayload()} to every type.
     *
     * @return the header, or {@code null} if and only if the stream ended cleanly at a frame boundary
     * @throws EOFException if the stream ends inside the header
     * @throws FrameTooLongException if the header claims more than the limit for its type
     * @throws UnknownMessageTypeException if the type byte is unknown; its payload has been skipped
     */
    public FrameHeader readHeader() throws IOException {
        return readHeader(-1);
    }

    /**
     * The payload of the frame whose header was just read, whole.
     *
     * @throws EOFException if the stream ends inside the payload
     */
    public byte[] readPayload(FrameHeader header) throws IOException {
        return readPayload(header.type(), header.length(), NEW_ARRAY);
    }

    /**
     * The payload of the frame whose header was just read, as a stream of exactly its length: it
     * reads from this reader's stream as its caller reads, so the payload is never held whole,
     * and returns end of stream after the payload's last byte. Read it to its end before the next
     * frame. It throws {@link EOFException} if the underlying stream ends before the payload does;
     * closing it does not close the underlying stream (nor skip the rest of the payload).
     */
    public InputStream payload(FrameHeader header) {
        return new PayloadStream(in, header);
    }

    /** The header, with its length checked against {@code limit}, or the type's limit if it is negative. */
    private FrameHeader readHeader(int limit) throws IOException {
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
        MessageType type = MessageType.lookup(code);
        int allowed = limit >= 0 || type == null ? maxPayload : FrameDescriptor.maxPayload(type, maxPayload);
        if (claimed > allowed) {
            throw new FrameTooLongException(claimed, allowed, code);
        }
        int length = (int) claimed;
        if (type == null) {
            skip(length, code);
            throw new UnknownMessageTypeException(code);
        }
        return new FrameHeader(type, length);
    }

    /**
     * The payload, in an array that grows as its bytes arrive (see the class comment); the last
     * array, of exactly {@code length} bytes, comes from {@code payloadArrays}.
     */
    private byte[] readPayload(MessageType type, int length, IntFunction<byte[]> payloadArrays) throws IOException {
        if (length == 0) {
            return Values.EMPTY_BYTES;
        }
        int size = Math.max(Math.min(length, FIRST_ALLOCATION), arrivedWhole(length));
        byte[] payload = allocate(size, size, length, payloadArrays);
        int got = 0;
        while (true) {
            got += readFully(payload, got, size - got);
            if (got < size) {
                throw new EOFException("stream ended inside the payload of a " + type + " frame: expected "
                        + length + " bytes, got " + got);
            }
            if (got == length) {
                return payload;
            }
            int next = (int) Math.min(length, (long) size * (size < QUADRUPLE_BELOW ? 4 : 2));
            byte[] grown = allocate(next - size, next, length, payloadArrays);
            System.arraycopy(payload, 0, grown, 0, got);
            payload = grown;
            size = next;
        }
    }

    /**
     * The payload's length if all of it has arrived (the stream's {@code available()} says so),
     * else 0. Asked once per payload larger than the first allocation, before its first array: a
     * frame that arrived whole, as bulk input does, then goes into its final array, read at once,
     * instead of growing through copies. A payload that arrives in parts grows by the steps of the
     * class comment, without asking again (on a socket, each asking is a system call), and a part
     * that arrived does not size a step (the last would then not land on the length: one more copy).
     */
    private int arrivedWhole(int length) throws IOException {
        return length > FIRST_ALLOCATION && in.available() >= length ? length : 0;
    }

    /**
     * An array of {@code size} bytes for a payload of {@code length}, {@code more} bytes more than
     * the reader held for it so far: from {@code arrays} when it is the last, of the payload's length.
     */
    private byte[] allocate(int more, int size, int length, IntFunction<byte[]> arrays) throws IOException {
        memory.reserve(more);
        return size == length ? exactly(arrays, length) : new byte[size];
    }

    private static byte[] exactly(IntFunction<byte[]> arrays, int length) {
        byte[] payload = arrays.apply(length);
        if (payload.length != length) {
            throw new IllegalStateException("payload array of " + payload.length + " bytes for a payload of " + length);
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

    /** A frame's payload as a stream of exactly its length; see {@link #payload}. */
    private static final class PayloadStream extends InputStream {
        private final InputStream in;
        private final FrameHeader header;
        private int remaining;

        PayloadStream(InputStream in, FrameHeader header) {
            this.in = in;
            this.header = header;
            this.remaining = header.length();
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw endedEarly();
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (remaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, Math.min(len, remaining));
            if (n < 0) {
                throw endedEarly();
            }
            remaining -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return Math.min(remaining, in.available());
        }

        private EOFException endedEarly() {
            return new EOFException("stream ended inside the payload of a " + header.type() + " frame: expected "
                    + header.length() + " bytes, got " + (header.length() - remaining));
        }
    }

    /** Reads until {@code length} bytes are in {@code buffer} or the stream ends; returns how many arrived. */
    private int readFully(byte[] buffer, int length) throws IOException {
        return readFully(buffer, 0, length);
    }

    /** Reads until {@code length} bytes are in {@code buffer} from {@code offset}, or the stream ends; returns how many arrived. */
    private int readFully(byte[] buffer, int offset, int length) throws IOException {
        int got = 0;
        while (got < length) {
            int n = in.read(buffer, offset + got, length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }
}
