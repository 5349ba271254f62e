package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.protocol.FrameDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Copies one output of the process (its stdout or stderr pipe, or the terminal master) to a sink
 * through one bounded buffer, on a virtual thread of its own. A chunk goes to the sink as soon as a
 * read returns it; when the sink blocks (the host does not read), the relay blocks, the pipe
 * fills and the process blocks on its write, so memory stays bounded.
 *
 * <p><b>Finishing.</b> Normally the relay ends at end of file: every holder of the pipe has
 * closed it. When a background process keeps it open after the command exited, the session calls
 * {@link #finish()} once its drain timeout has passed. The relay then reads only what is already
 * in the pipe, without waiting, and ends when the pipe is empty. Bytes the command wrote before
 * it exited are still in the pipe (or already relayed) at that point, so they are never dropped,
 * however slowly the host reads; to bound the time, at most {@link #FINAL_BUDGET} more bytes are
 * read in that mode, enough for any pipe's capacity. A read blocked on an empty pipe is woken by
 * interrupting the relay thread, which is only done while it is reading, never while it writes to
 * the connection (an interrupted socket write could leave half a frame).
 *
 * <p>If the sink fails (the host went away), the relay tells the session and keeps draining the
 * pipe into nothing, so the process is never left blocked on a full pipe.
 */
final class OutputRelay {
    /**
     * The largest relay buffer, and so the largest output frame: one per output. A relay starts
     * with {@link #FIRST_BUFFER} and doubles its buffer each time a read fills it, up to this: most
     * outputs are small (a short exec allocates little, a thousand sessions at once stay small),
     * and a bulk output moves in large chunks after a few reads.
     */
    static final int BUFFER = 64 * 1024;
    /** The buffer a relay starts with. */
    static final int FIRST_BUFFER = 4 * 1024;
    /** Room kept free before the bytes read, so that the sink can put a frame header there without a copy. */
    static final int HEADER_ROOM = FrameDescriptor.HEADER_LENGTH;
    /** What a finishing relay may still read: the largest pipe capacity Linux allows by default (1 MiB). */
    static final int FINAL_BUDGET = 1024 * 1024;

    private final Log log;

    /**
     * Where the bytes go; may block. The {@link #HEADER_ROOM} bytes before {@code offset} are free:
     * the sink may write a frame header there (see {@code FrameWriter.writeWithHeaderRoom}).
     */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    private final String name;
    private final Descriptor source;
    private final Sink sink;
    private final Consumer<IOException> onSinkFailure;
    private final ReentrantLock phase = new ReentrantLock();
    /** Guarded by {@link #phase}: true while the thread is inside a read of the source. */
    private boolean reading;
    private volatile boolean finishing;
    private volatile boolean reachedEnd;
    private volatile boolean sinkFailed;
    private Thread thread;

    /**
     * @param name for the thread and log messages, e.g. {@code session 7 stdout}
     * @param onSinkFailure called once, on the relay thread, with what the sink threw
     * @param log where the relay's debug lines go
     */
    OutputRelay(String name, Descriptor source, Sink sink, Consumer<IOException> onSinkFailure, Log log) {
        this.name = name;
        this.log = log;
        this.source = source;
        this.sink = sink;
        this.onSinkFailure = onSinkFailure;
    }

    /** Starts relaying on a new virtual thread. */
    OutputRelay start() {
        thread = Thread.ofVirtual().name("vsockexec " + name).start(this::run);
        return this;
    }

    /** Waits until the relay has ended or {@code timeout} has passed; true if it ended. */
    boolean await(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    /** Waits until the relay has ended. */
    void await() throws InterruptedException {
        thread.join();
    }

    /** True once the relay has ended. */
    boolean isDone() {
        return !thread.isAlive();
    }

    /** True if the relay ended at end of file, not by {@link #finish()} or a close. */
    boolean reachedEnd() {
        return reachedEnd;
    }

    /** Stops waiting for more output: relay what is in the pipe now, then end. */
    void finish() {
        finishing = true;
        phase.lock();
        try {
            if (reading) {
                thread.interrupt();
            }
        } finally {
            phase.unlock();
        }
    }

    private void run() {
        byte[] buffer = new byte[HEADER_ROOM + FIRST_BUFFER];
        int budget = FINAL_BUDGET;
        boolean filled = false; // the last read filled the buffer, so more is probably waiting
        try {
            while (true) {
                int size = buffer.length - HEADER_ROOM;
                if (filled && size < BUFFER) {
                    buffer = new byte[HEADER_ROOM + Math.min(BUFFER, size * 2)];
                }
                int n;
                if (!finishing) {
                    n = readWaiting(buffer);
                    if (n == 0) {
                        continue; // interrupted by finish(): read on without waiting
                    }
                } else {
                    if (budget <= 0) {
                        return; // something keeps writing after the command exited: stop here
                    }
                    n = readNow(buffer, Math.min(buffer.length - HEADER_ROOM, budget));
                    if (n == 0) {
                        return; // the pipe is empty
                    }
                    budget -= Math.max(n, 0);
                }
                if (n < 0) {
                    reachedEnd = true;
                    return;
                }
                filled = n == buffer.length - HEADER_ROOM;
                deliver(buffer, n);
            }
        } catch (ClosedChannelException e) {
            log.debug(() -> name + ": closed"); // the session is tearing down
        } catch (IOException e) {
            log.debug(() -> name + ": read failed", e);
        }
    }

    /** A blocking read; 0 if {@link #finish()} interrupted it. */
    private int readWaiting(byte[] buffer) throws IOException {
        phase.lock();
        try {
            reading = true;
        } finally {
            phase.unlock();
        }
        try {
            return source.read(buffer, HEADER_ROOM, buffer.length - HEADER_ROOM, Deadline.none());
        } catch (InterruptedIOException e) {
            return 0;
        } finally {
            phase.lock();
            try {
                reading = false;
                Thread.interrupted(); // an interrupt that raced with a successful read must not reach a write
            } finally {
                phase.unlock();
            }
        }
    }

    /** What the pipe holds right now, without waiting; 0 when it is empty. */
    private int readNow(byte[] buffer, int length) throws IOException {
        return source.readAvailable(buffer, HEADER_ROOM, length);
    }

    private void deliver(byte[] buffer, int n) {
        if (sinkFailed) {
            return;
        }
        try {
            sink.accept(buffer, HEADER_ROOM, n);
        } catch (IOException e) {
            sinkFailed = true;
            log.debug(() -> name + ": sink failed, draining into nothing", e);
            onSinkFailure.accept(e);
        }
    }
}
