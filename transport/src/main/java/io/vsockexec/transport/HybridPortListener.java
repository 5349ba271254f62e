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
 * One guest port of an emulated hybrid VM socket: a bounded queue of connections that completed
 * the handshake, waiting for {@link #accept}.
 */
final class HybridPortListener implements Listener {
    private final HybridVmSocket vm;
    private final HybridEndpoint endpoint;
    private final int backlog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Connection> ready = new ArrayDeque<>();
    /** Places promised to handshakes that are still writing their OK; they count against the backlog. */
    private int reserved;
    private boolean closed;

    HybridPortListener(HybridVmSocket vm, HybridEndpoint endpoint, int backlog) {
        this.vm = vm;
        this.endpoint = endpoint;
        this.backlog = backlog;
    }

    @Override
    public Connection accept(Deadline deadline) throws IOException {
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

    @Override
    public boolean awaitConnection(Deadline deadline) throws IOException {
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

    /** Promises a handshake a place in the backlog; false if full or closed. */
    boolean reserve() {
        lock.lock();
        try {
            if (closed || ready.size() + reserved >= backlog) {
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

    @Override
    public HybridEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean isOpen() {
        return Guarded.get(lock, () -> !closed);
    }

    /** Stops listening on this port, closing connections nobody accepted; the last port closes the socket file. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            ready.forEach(Connection::close);
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        vm.unregister(this);
    }

    @Override
    public String toString() {
        return "Listener[" + endpoint + "]";
    }
}
