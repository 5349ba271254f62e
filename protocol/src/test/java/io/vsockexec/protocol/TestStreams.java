package io.vsockexec.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Streams and hex helpers for the codec tests. */
final class TestStreams {
    private static final HexFormat HEX = HexFormat.of();

    private TestStreams() {
    }

    /** Bytes from hex; spaces are ignored so golden values can show the frame's fields. */
    static byte[] unhex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Returns at most one byte per read call, however many are asked for (Okio's "slow source"). */
    static InputStream oneBytePerRead(byte[] data) {
        return chunked(data, 1);
    }

    /** Returns at most {@code chunk} bytes per read call. */
    static InputStream chunked(byte[] data, int chunk) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(data);

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, Math.min(len, chunk));
            }
        };
    }

    /**
     * Serves {@code data}, then fails the test on any further read: proves a reader stopped
     * where it should, without reading (or waiting for) more.
     */
    static InputStream exactly(byte[] data) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(data);

            @Override
            public int read() {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (in.available() == 0 && len > 0) {
                    throw new AssertionError("read past the " + data.length + " bytes that were offered");
                }
                return in.read(b, off, len);
            }
        };
    }

    /** Records every write call's bytes separately. */
    static final class RecordingOutputStream extends OutputStream {
        final List<byte[]> writes = new ArrayList<>();
        int flushes;

        @Override
        public void write(int b) {
            writes.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void flush() {
            flushes++;
        }

        byte[] all() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            writes.forEach(all::writeBytes);
            return all.toByteArray();
        }
    }

    /**
     * Copies each write into the target in pieces of a few bytes, yielding the thread between
     * pieces: a stream that is not atomic, so that writers that do not serialize interleave.
     */
    static final class SplittingOutputStream extends OutputStream {
        private final ByteArrayOutputStream target = new ByteArrayOutputStream();
        private final int piece;

        SplittingOutputStream(int piece) {
            this.piece = piece;
        }

        @Override
        public void write(int b) {
            synchronized (target) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i += piece) {
                synchronized (target) {
                    target.write(b, off + i, Math.min(piece, len - i));
                }
                Thread.yield();
            }
        }

        byte[] toByteArray() {
            synchronized (target) {
                return target.toByteArray();
            }
        }
    }

    /** Writes {@code before} bytes of the first write through, then fails every call. */
    static final class FailingOutputStream extends OutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final int before;
        int calls;

        FailingOutputStream(int before) {
            this.before = before;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            calls++;
            if (calls == 1) {
                written.write(b, off, Math.min(before, len));
            }
            throw new IOException("connection reset (test)");
        }
    }
}
