package io.vsockexec.client;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Guarded;
import io.vsockexec.protocol.ArrayInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A terminal session's output on its way from the frame-reading thread to the caller's
 * {@link #input()}: a queue of chunks bounded by {@link #CAPACITY} bytes. When the caller does not
 * read, the reading thread blocks, the connection stops being read, and the agent's relay and then
 * the remote program block in turn, so memory stays bounded.
 */
final class TerminalOutput {
    /** Bytes held at most (a single larger chunk is taken when the queue is empty). */
    static final int CAPACITY = 256 * 1024;

    private final ExecCall call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Guarded by {@link #lock}: bytes queued, and the read position in the first chunk. */
    private long queued;
    private int position;
    /** Guarded by {@link #lock}: set once no more output will come, normally or not. */
    private boolean ended;
    private IOException failure;
    private boolean closed;

    TerminalOutput(ExecCall call) {
        this.call = call;
    }

    /** What the frame-reading thread writes to. */
    OutputStream sink() {
        return new ArrayOutput() {
            @Override
            void writeRange(byte[] b, int off, int len) throws IOException {
                put(Arrays.copyOfRange(b, off, off + len));
            }
        };
    }

    /** What the caller reads. */
    InputStream input() {
        return new ArrayInput() {
            @Override
            protected int readRange(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : take(b, off, len);
            }

            @Override
            public int available() {
                return Guarded.get(lock, () -> (int) Math.min(Integer.MAX_VALUE, queued));
            }

            /** Closing the output discards what is left and cancels the call if it is running. */
            @Override
            public void close() {
                TerminalOutput.this.close();
                call.close();
            }
        };
    }

    /** Queues a chunk, waiting for room; the exec's deadline bounds the wait. */
    private void put(byte[] chunk) throws IOException {
        Deadline deadline = call.deadline();
        lock.lock();
        try {
            while (!closed && queued > 0 && queued + chunk.length > CAPACITY) {
                if (deadline.isNone()) {
                    changed.await();
                } else if (deadline.hasPassed()) {
                    throw call.fail(new SocketTimeoutException("terminal output not read"));
                } else {
                    changed.awaitNanos(deadline.remainingNanos());
                }
            }
            if (closed) {
                throw new ExecCancelledException("command on " + call.endpoint() + " was cancelled");
            }
            chunks.addLast(chunk);
            queued += chunk.length;
            changed.signalAll();
        } catch (InterruptedException e) {
            throw Connector.interrupted("relaying terminal output from " + call.endpoint(), e);
        } finally {
            lock.unlock();
        }
    }

    private int take(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (chunks.isEmpty() && !ended && !closed) {
                changed.await();
            }
            if (chunks.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            byte[] first = chunks.peekFirst();
            int n = Math.min(len, first.length - position);
            System.arraycopy(first, position, b, off, n);
            position += n;
            queued -= n;
            if (position == first.length) {
                chunks.removeFirst();
                position = 0;
            }
            changed.signalAll();
            return n;
        } catch (InterruptedException e) {
            call.close();
            throw Connector.interrupted("reading terminal output from " + call.endpoint(), e);
        } finally {
            lock.unlock();
        }
    }

    /** No more output: readers get what is queued, then end of stream ({@code failure} null) or {@code failure}. */
    void end(IOException failure) {
        lock.lock();
        try {
            ended = true;
            this.failure = failure;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Discards the queue and wakes everyone: the call is being closed. */
    void close() {
        lock.lock();
        try {
            closed = true;
            chunks.clear();
            queued = 0;
            position = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
