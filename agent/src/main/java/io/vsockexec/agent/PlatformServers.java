package io.vsockexec.agent;

import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A few platform threads that take turns on one exec listener, as leader and followers: the
 * leader waits for a connection inside the kernel, accepts it, hands the lead to an idle
 * follower and serves the connection itself. When every one of them is serving, the agent's
 * virtual-thread acceptors cover the listener until one is free again.
 *
 * <p>Why platform threads, when every other connection gets a virtual thread: a virtual thread
 * blocked on a descriptor is woken by the native layer's poller thread, which then has a carrier
 * thread woken to run it. On a small VM those two hand-offs, at the connection and again at the
 * command's exit, were the largest part of what the agent adds to a short command (row 1 of the
 * benchmark, docs/PERFORMANCE.md). A platform thread waits in poll(2) itself and is woken by the
 * kernel.
 */
final class PlatformServers {
    /**
     * How many threads per listener: enough for commands run back to back, or two at a time, to
     * stay on this fast path. Beyond them, connections get virtual threads as before.
     */
    static final int THREADS = 2;

    /** What the agent does for its platform servers. */
    interface Agency {
        /** The next connection, waited for inside the kernel; null once the listener is closed. */
        Connection acceptWaitingInKernel(Listener listener);

        /** Makes sure a virtual thread accepts on {@code listener}: no platform thread is free to. */
        void coverAccepting(Listener listener);

        /** Serves {@code connection} on the calling thread. */
        void dispatch(Connection connection);
    }

    private final Listener listener;
    private final Agency agency;
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turn = lock.newCondition();
    /** Written under {@link #lock}, read without it by {@link #isAccepting()}: one of the threads waits for a connection. */
    private volatile boolean leaderWaiting;
    /** Guarded by {@link #lock}: threads waiting for their turn to lead. */
    private int idle;
    /** Guarded by {@link #lock}. */
    private boolean stopped;

    PlatformServers(Listener listener, Agency agency) {
        this.listener = listener;
        this.agency = agency;
    }

    /** Starts the threads; the first to run leads. */
    PlatformServers start() {
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().daemon().name("vsockexec serve " + listener.endpoint() + " #" + (i + 1))
                    .start(this::run));
        }
        return this;
    }

    Listener listener() {
        return listener;
    }

    /** True while one of the threads waits for a connection, so that no virtual acceptor is needed. */
    boolean isAccepting() {
        return leaderWaiting;
    }

    /**
     * Ends the threads once they are idle: followers at once, the leader when it sees the closed
     * listener, a serving thread after its session.
     */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            turn.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the threads to end; call after {@link #stop()}. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    private void run() {
        while (takeLead()) {
            Connection c;
            boolean covered;
            try {
                c = agency.acceptWaitingInKernel(listener);
            } finally {
                covered = passLead();
            }
            if (c == null) {
                stop(); // the listener is closed
                return;
            }
            if (!covered) {
                agency.coverAccepting(listener);
            }
            agency.dispatch(c);
        }
    }

    /** Waits until no other thread leads, and leads; false once stopped. */
    private boolean takeLead() {
        lock.lock();
        try {
            idle++;
            while (leaderWaiting && !stopped) {
                turn.awaitUninterruptibly();
            }
            idle--;
            if (stopped) {
                return false;
            }
            leaderWaiting = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives up the lead after an accept; true if an idle follower takes it. */
    private boolean passLead() {
        lock.lock();
        try {
            leaderWaiting = false;
            if (idle > 0) {
                turn.signal();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }
}
