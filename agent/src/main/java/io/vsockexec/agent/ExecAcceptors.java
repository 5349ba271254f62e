package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Listener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Accepting on the exec endpoints, leader and followers: the thread that accepts a connection
 * serves it itself, after making sure that another thread waits for the next one, so a request
 * never waits for a thread to be scheduled (on a small VM that hand-off was a sizable part of a
 * short exec's round trip). Each listener has its {@link PlatformServers}; when all of them are
 * serving, a virtual thread waits in accept instead, and so on for each further connection.
 */
final class ExecAcceptors {
    private final Log log;
    private final Consumer<Connection> serve;
    private final List<PlatformServers> platformServers = new ArrayList<>();
    /** The accept loop of each listener, shared by its platform servers and virtual acceptors. */
    private final Map<Listener, NextConnection> next = new IdentityHashMap<>();
    /** The virtual threads waiting in accept, and their listeners. */
    private final Map<Thread, Listener> waiting = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: no acceptor starts after {@link #stop()}. */
    private boolean stopped;

    /** @param serve serves a connection on the calling thread */
    private ExecAcceptors(Log log, Consumer<Connection> serve) {
        this.log = log;
        this.serve = serve;
    }

    /** Starts accepting on {@code listeners}; each connection is served by {@code serve}, on the thread that accepted it. */
    static ExecAcceptors start(List<Listener> listeners, Log log, Consumer<Connection> serve) {
        ExecAcceptors acceptors = new ExecAcceptors(log, serve);
        PlatformServers.Agency agency = acceptors.new PlatformAgency();
        for (Listener l : listeners) {
            acceptors.next.put(l, new NextConnection(l, log));
        }
        for (Listener l : listeners) {
            acceptors.platformServers.add(new PlatformServers(l, agency).start());
        }
        return acceptors;
    }

    /**
     * Starts no more acceptors; the platform servers end once idle. Threads waiting in accept end
     * when their listeners are closed.
     */
    void stop() {
        lock.lock();
        try {
            stopped = true;
        } finally {
            lock.unlock();
        }
        platformServers.forEach(PlatformServers::stop);
    }

    /** Waits for the virtual acceptors that wait in accept; call after the listeners are closed. */
    void joinWaiting() throws InterruptedException {
        for (Thread t : List.copyOf(waiting.keySet())) {
            t.join();
        }
    }

    /** Waits for the platform servers, which end after their sessions. */
    void joinServers() throws InterruptedException {
        for (PlatformServers p : platformServers) {
            p.join();
        }
    }

    /** What the platform servers call back; a class of its own, so that these stay private. */
    private final class PlatformAgency implements PlatformServers.Agency {
        @Override
        public Connection acceptWaitingInKernel(Listener listener) {
            return next.get(listener).accept(true);
        }

        @Override
        public void coverAccepting(Listener listener) {
            if (!waiting.containsValue(listener)) {
                startAcceptor(listener);
            }
        }

        @Override
        public void dispatch(Connection connection) {
            serve.accept(connection);
        }
    }

    /** True while a platform server waits for a connection on {@code listener}. */
    private boolean platformAccepting(Listener listener) {
        for (PlatformServers p : platformServers) {
            if (p.listener() == listener) {
                return p.isAccepting();
            }
        }
        return false;
    }

    /**
     * Starts a virtual thread that waits for the next connection on {@code listener}, for when no
     * platform server is free. Returns false once stopped.
     */
    private boolean startAcceptor(Listener listener) {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            Thread t = Thread.ofVirtual().name("vsockexec accept " + listener.endpoint())
                    .unstarted(() -> acceptAndServe(listener));
            waiting.put(t, listener); // before it starts, so that it is gone from the map once it has accepted
            t.start();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Accepts one connection, hands accepting on to a new thread unless a platform server accepts, and serves it. */
    private void acceptAndServe(Listener listener) {
        Connection c;
        try {
            c = next.get(listener).accept(false);
        } finally {
            waiting.remove(Thread.currentThread());
        }
        if (c == null) {
            return;
        }
        if (!platformAccepting(listener) && !startAcceptor(listener)) {
            c.close();
            return;
        }
        Thread.currentThread().setName("vsockexec connection");
        serve.accept(c);
    }
}
