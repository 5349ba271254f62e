package io.vsockexec.bench;

import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;

/**
 * Row 7: the cost of the frame codec on the streaming path, encode ({@link FrameWriter}) plus
 * decode ({@link FrameReader}) of one {@code Stdout} frame, in time and in bytes allocated, in this
 * process. A light measurement: a warm-up, then a timed loop and the thread's allocation counter.
 * The JMH benchmark {@code CodecBenchmark} (bench/src/test/java, {@code scripts/jmh}) measures
 * the same and is the reference.
 */
final class CodecCost {
    static final int[] PAYLOADS = {16, 64 * 1024};
    static final String TARGET_TEXT = "report ns/frame and bytes allocated/frame";

    private CodecCost() {}

    static Row measure(BenchSizes sizes) throws IOException {
        StringBuilder figure = new StringBuilder();
        for (int size : PAYLOADS) {
            Result r = run(size, sizes.codecIterations());
            figure.append(figure.isEmpty() ? "" : "; ").append(Figures.size(size)).append(": ")
                    .append(Figures.format("%.0f ns", r.nanosPerFrame())).append(", ")
                    .append(Figures.format("%.0f B", r.bytesPerFrame())).append(" allocated");
        }
        return new Row(7, "codec: encode + decode of one Stdout frame (in-process; JMH CodecBenchmark is the reference)",
                figure.toString(), Row.NONE, Row.NONE, TARGET_TEXT, Verdict.REPORTED);
    }

    /**
     * @param nanosPerFrame time for one encode and one decode
     * @param bytesPerFrame heap bytes allocated for one encode and one decode
     */
    record Result(double nanosPerFrame, double bytesPerFrame) {}

    /** Warms up with {@code iterations} rounds, then measures as many. */
    static Result run(int payloadSize, int iterations) throws IOException {
        Loop loop = new Loop(payloadSize);
        loop.run(iterations);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        loop.run(iterations);
        long nanos = System.nanoTime() - start;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        return new Result((double) nanos / iterations, (double) allocated / iterations);
    }

    /** One writer and one reader over a reused in-memory frame. */
    static final class Loop {
        private final byte[] payload;
        private final Buffer buffer;
        private final FrameWriter writer;
        private final FrameReader reader;
        private long checksum;

        Loop(int payloadSize) {
            payload = new byte[payloadSize];
            buffer = new Buffer(FrameDescriptor.HEADER_LENGTH + payloadSize);
            writer = new FrameWriter(buffer.output(), FrameDescriptor.DEFAULT_MAX_PAYLOAD);
            reader = new FrameReader(buffer.input(), FrameDescriptor.DEFAULT_MAX_PAYLOAD);
        }

        /** One encode and one decode; returns the decoded payload's length. */
        int roundTrip() throws IOException {
            buffer.reset();
            writer.write(MessageType.STDOUT, payload, 0, payload.length);
            Frame frame = reader.read();
            return frame.payload().length;
        }

        void run(int iterations) throws IOException {
            for (int i = 0; i < iterations; i++) {
                checksum += roundTrip();
            }
            if (checksum < 0) {
                throw new IllegalStateException("unreachable: keeps the loop's work alive");
            }
        }
    }

    /** A fixed array written from the start and read back, without allocating. */
    static final class Buffer {
        private final byte[] bytes;
        private int written;
        private int read;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void reset() {
            written = 0;
            read = 0;
        }

        OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[written++] = (byte) b;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    System.arraycopy(b, off, bytes, written, len);
                    written += len;
                }
            };
        }

        InputStream input() {
            return new InputStream() {
                @Override
                public int read() {
                    return read < written ? bytes[read++] & 0xff : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (len == 0) {
                        return 0;
                    }
                    int n = Math.min(len, written - read);
                    if (n <= 0) {
                        return -1;
                    }
                    System.arraycopy(bytes, read, b, off, n);
                    read += n;
                    return n;
                }
            };
        }
    }
}
