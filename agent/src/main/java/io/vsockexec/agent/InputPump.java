package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Descriptor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the process's input (its stdin pipe, or the terminal master) on a virtual thread of its
 * own, from a queue bounded by {@link #BUDGET} bytes. So the thread that reads the connection
 * can go on reading while the process does not read its input: a {@code Signal}, a
 * {@code Resize} or the host going away is still seen. When the queue is full, {@link #offer}
 * blocks, and with it the reading of the connection: the host's writes then block, which is the
 * flow control of the stream.
 *
 * <p>While the queue is empty and the process keeps up, {@link #offer} writes the chunk itself,
 * without waiting ({@link Descriptor#writeAvailable}), and queues only what does not fit: bulk
 * input then costs no hand-off between threads per chunk, and the reading thread still never
 * blocks on the process.
 *
 * <p>If the process closes its input (or exits), writes fail with EPIPE; the pump then drops what
 * is queued and everything offered later, as a pipe to a closed reader would.
 *
 * <p><b>Memory.</b> Each chunk comes with its reservation in the agent's {@link MemoryBudget}
 * (the frame it arrived in was reserved as it arrived); the pump gives it back once the chunk is
 * written or dropped. Arrays kept for reuse are small ones only.
 */
final class InputPump {
    /** At most this many bytes wait in the queue, except that one chunk of any size may always wait. */
    static final int BUDGET = 1024 * 1024;

    /** Written chunks kept for reuse: enough to cycle while the process keeps up, little when it does not. */
    static final int RECYCLED = 4;
    /** The largest array kept for reuse: the size of the input frames bulk writers send, not a whole frame's worth. */
    static final int LARGEST_RECYCLED = 64 * 1024;

    /** Bytes to write, with the reservation that holds them. */
    private record Chunk(byte[] bytes, MemoryBudget.Account memory) {}

    private static final Chunk END = new Chunk(new byte[0], null);

    private final String name;
    private final Descriptor target;
    private final Runnable atEnd;
    private final Log log;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private long queued;
    /** Guarded by {@link #lock}: no more input will be written. */
    private boolean stopped;
    /** Guarded by {@link #lock}: {@link #end()} was called. */
    private boolean ended;
    /** Guarded by {@link #lock}: a thread (the pump, or an offering one) is writing to the target. */
    private boolean writing;
    /** Guarded by {@link #lock}: chunks already written, for {@link #array}. */
    private final ArrayDeque<byte[]> recycled = new ArrayDeque<>();

    /**
     * @param target where the bytes are written; not closed here
     * @param atEnd what end of input means: for a pipe, closing it; runs on the pump thread after
     *     every queued byte was written
     * @param log where the pump's debug lines go
     */
    InputPump(String name, Descriptor target, Runnable atEnd, Log log) {
        this.name = name;
        this.thread = Thread.ofVirtual().name("vsockexec " + name).unstarted(this::run);
        this.target = target;
        this.atEnd = atEnd;
        this.log = log;
    }

    InputPump start() {
        thread.start();
        return this;
    }

    /**
     * Writes or queues {@code bytes} (not copied: the caller hands them over, with {@code memory},
     * their reservation, which the pump gives back once they are written or dropped), waiting
     * while the queue is over its budget. Dropped once the input has ended or failed.
     */
    void offer(byte[] bytes, MemoryBudget.Account memory) {
        Chunk chunk = new Chunk(bytes, memory);
        Taken taken = bytes.length == 0 ? Taken.DROPPED : queueOrClaimWrite(chunk);
        if (taken != Taken.TO_WRITE) {
            if (taken == Taken.DROPPED) {
                memory.close();
            }
            return;
        }
        int written;
        try {
            written = target.writeAvailable(bytes, 0, bytes.length);
        } catch (IOException e) {
            failed(e); // stops first, so that nothing of the chunk is queued
            finishWrite(chunk, 0);
            return;
        }
        finishWrite(chunk, written);
    }

    /** What became of an offered chunk. */
    private enum Taken { TO_WRITE, QUEUED, DROPPED }

    /**
     * Queues {@code chunk} behind what waits, or, when nothing waits and nobody writes, claims the
     * target for the calling thread, which is then to write it itself.
     */
    private Taken queueOrClaimWrite(Chunk chunk) {
        lock.lock();
        try {
            while (!stopped && !ended && !queue.isEmpty() && queued + chunk.bytes.length > BUDGET) {
                changed.awaitUninterruptibly();
            }
            if (stopped || ended) {
                return Taken.DROPPED;
            }
            if (queue.isEmpty() && !writing) {
                writing = true;
                return Taken.TO_WRITE;
            }
            queue.addLast(chunk);
            queued += chunk.bytes.length;
            changed.signalAll();
            return Taken.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the target after a write (the pump's or an offering thread's) of {@code written}
     * of {@code chunk}: a written chunk's reservation goes back and its array is kept for reuse;
     * the rest of one goes first in the queue, holding only what it still needs.
     */
    private void finishWrite(Chunk chunk, int written) {
        byte[] bytes = chunk.bytes;
        lock.lock();
        try {
            writing = false;
            if (written < bytes.length && !stopped) {
                byte[] rest = Arrays.copyOfRange(bytes, written, bytes.length);
                chunk.memory.release(Math.min(written, chunk.memory.held()));
                queue.addFirst(new Chunk(rest, chunk.memory));
                queued += rest.length;
            } else {
                chunk.memory.close();
                if (written == bytes.length && bytes.length <= LARGEST_RECYCLED && recycled.size() < RECYCLED) {
                    recycled.addLast(bytes);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * An array of exactly {@code length} bytes for the next chunk to {@link #offer}: one this pump
     * has written already if there is one of that length, else a new one. Bulk input then cycles
     * through a few arrays instead of allocating one per frame.
     */
    byte[] array(int length) {
        lock.lock();
        try {
            byte[] a = recycled.peekFirst();
            if (a != null && a.length == length) {
                return recycled.pollFirst();
            }
        } finally {
            lock.unlock();
        }
        return new byte[length];
    }

    /** End of input: after what is queued has been written, {@code atEnd} runs. Later input is dropped. */
    void end() {
        lock.lock();
        try {
            if (!ended && !stopped) {
                ended = true;
                queue.addLast(END);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the pump: queued input is dropped and later input ignored. A write blocked on a
     * process that does not read is only woken by closing the target, which the session does.
     */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            for (Chunk chunk : queue) {
                if (chunk.memory != null) {
                    chunk.memory.close();
                }
            }
            queue.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the pump thread has ended; at once if it never started. */
    void await() throws InterruptedException {
        thread.join();
    }

    private void run() {
        try {
            while (true) {
                Chunk chunk = take();
                if (chunk == null) {
                    return;
                }
                if (chunk == END) {
                    atEnd.run();
                    return;
                }
                try {
                    target.write(chunk.bytes, 0, chunk.bytes.length, Deadline.none());
                } finally {
                    finishWrite(chunk, chunk.bytes.length); // or failed, and dropped with what is queued
                }
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /** EPIPE: the process closed its input or exited; a close: the session is ending. */
    private void failed(IOException e) {
        log.debug(() -> name + ": input no longer accepted: " + e.toString());
        stop();
    }

    /** The next chunk, END, or null once stopped. */
    private Chunk take() {
        lock.lock();
        try {
            // An offering thread may be writing directly; the queue's head waits for it to finish.
            while (!stopped && (queue.isEmpty() || writing)) {
                changed.awaitUninterruptibly();
            }
            if (stopped) {
                return null;
            }
            Chunk chunk = queue.removeFirst();
            queued -= chunk.bytes.length;
            if (chunk != END) {
                writing = true;
            }
            changed.signalAll();
            return chunk;
        } finally {
            lock.unlock();
        }
    }
}
