package io.vsockexec.agent;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The standard output and error of an {@code Exec} session, kept for its one reply. Both share
 * one budget, derived from the frame limit so that the JSON reply (base64 makes bytes 4/3
 * larger) always fits one frame. Bytes beyond the budget are counted and dropped; the relays go
 * on draining the pipes, so the command never blocks on a full pipe.
 */
final class OutputBuffer {
    /** Room in the reply for the JSON around the output: field names, exit code, error text. */
    static final int JSON_RESERVE = 4096;

    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    /** Guarded by {@link #lock}. */
    private long discarded;

    OutputBuffer(int limit) {
        this.limit = limit;
    }

    /** The most output, stdout and stderr together, whose reply fits a frame of {@code maxFrame} bytes. */
    static int limitFor(int maxFrame) {
        return (maxFrame - JSON_RESERVE) / 4 * 3;
    }

    int limit() {
        return limit;
    }

    OutputRelay.Sink stdoutSink() {
        return (b, off, len) -> append(stdout, b, off, len);
    }

    OutputRelay.Sink stderrSink() {
        return (b, off, len) -> append(stderr, b, off, len);
    }

    private void append(ByteArrayOutputStream target, byte[] b, int off, int len) {
        lock.lock();
        try {
            int room = limit - stdout.size() - stderr.size();
            int kept = Math.max(0, Math.min(room, len));
            target.write(b, off, kept);
            discarded += len - kept;
        } finally {
            lock.unlock();
        }
    }

    byte[] stdout() {
        lock.lock();
        try {
            return stdout.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    byte[] stderr() {
        lock.lock();
        try {
            return stderr.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    /** How many bytes did not fit. */
    long discarded() {
        lock.lock();
        try {
            return discarded;
        } finally {
            lock.unlock();
        }
    }

    /** The reply's {@code error} when output was dropped, else empty. */
    String error() {
        long dropped = discarded();
        if (dropped == 0) {
            return "";
        }
        return "output exceeded the " + limit + "-byte limit of buffered mode (Exec): " + dropped
                + " bytes discarded; use streaming (ExecStream) for large output";
    }
}
