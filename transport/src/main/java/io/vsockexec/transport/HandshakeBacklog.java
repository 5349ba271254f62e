package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Guarded;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The backlog of one guest port of an emulated hybrid VM socket: connections that completed the
 * handshake, waiting to be accepted, and places promised to handshakes that are still writing
 * their OK; together at most {@link ListenOptions#backlog()}. Closing it closes the connections
 * nobody accepted.
 */
final class HandshakeBacklog {
    private final HybridEndpoint endpoint;
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Connection> ready = new ArrayDeque<>();
    /** Places promised to handshakes that are still writing their OK; they count against the limit. */
    private int reserved;
    private boolean closed;

    /** @param endpoint the port, which the failures of a wait name */
    HandshakeBacklog(HybridEndpoint endpoint, ListenOptions options) {
        this.endpoint = endpoint;
        this.limit = options.backlog();
    }

    /** The first connection waiting, once there is one; see {@link Listener#accept}. */
    Connection take(Deadline deadline) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            while (ready.isEmpty()) {
                await(deadline);
            }
            return ready.removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a connection waits, or arrives before {@code deadline}; see {@link Listener#awaitConnection}. */
    boolean awaitConnection(Deadline deadline) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            while (ready.isEmpty()) {
                if (deadline.hasPassed()) {
                    return false;
                }
                await(deadline);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void await(Deadline deadline) throws IOException {
        if (deadline.hasPassed()) {
            throw Failures.timeout("accept", endpoint, deadline, null);
        }
        try {
            if (deadline.isNone()) {
                changed.await();
            } else {
                changed.await(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("accept " + endpoint + ": interrupted");
        }
        if (closed) {
            throw new AsynchronousCloseException();
        }
    }

    /** Promises a handshake a place; false if full or closed. */
    boolean reserve() {
        lock.lock();
        try {
            if (closed || ready.size() + reserved >= limit) {
                return false;
            }
            reserved++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a place whose handshake failed. */
    void unreserve() {
        Guarded.run(lock, () -> reserved--);
    }

    /** Queues a handshaken connection in its reserved place; false (and nothing queued) if closed meanwhile. */
    boolean deliver(Connection connection) {
        lock.lock();
        try {
            reserved--;
            if (closed) {
                return false;
            }
            ready.addLast(connection);
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        return Guarded.get(lock, () -> !closed);
    }

    /** Closes the connections nobody accepted and wakes the waits; false if it was closed already. */
    boolean close() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            ready.forEach(Connection::close);
            ready.clear();
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
