package io.vsockexec.agent;

import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Connection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which connections get what, in two stages, so that peers that are idle or slow cannot starve
 * the others. A class of its own so that the rules can be replaced.
 *
 * <ol>
 *   <li><b>Pending.</b> A connection that has not sent its complete request yet holds no session
 *       slot: it is one of at most {@link AgentConfig#maxPending()} pending connections, each a
 *       socket, a parked virtual thread and a few small objects. When they are all taken, a new
 *       connection sheds the oldest (closing it), so a flood of idle connections delays nobody
 *       for long: each is closed after the request timeout anyway, or sooner when shed.
 *   <li><b>Admitted.</b> A complete request gets one of {@link AgentConfig#maxSessions()} session
 *       slots. Beyond the cap it is still answered, "agent busy", so a host never waits in vain;
 *       at most as many refusals as sessions are in progress at once, and beyond that,
 *       connections are closed at once.
 * </ol>
 */
final class Admission {
    /** What a connection was admitted to; give it back with {@link #release}. */
    enum Ticket { SESSION, REFUSAL }

    private final int maxSessions;
    private final int maxPending;
    private final Semaphore sessions;
    private final Semaphore refusals;
    private final Log log;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: the connections waiting for their request, oldest first. */
    private final Set<Pending> pending = new LinkedHashSet<>();
    /** Guarded by {@link #lock}: connections shed since shedding began; 0 while nothing is shed. */
    private long shedding;

    Admission(int maxSessions, int maxPending, Log log) {
        this.maxSessions = maxSessions;
        this.maxPending = maxPending;
        this.sessions = new Semaphore(maxSessions);
        this.refusals = new Semaphore(maxSessions);
        this.log = log;
    }

    /**
     * A connection waiting for its request; {@link #close()} it once the request is read (or the
     * wait failed). If it is shed meanwhile, its connection is closed under the reader, whose read
     * then fails; {@link #wasShed()} tells why.
     */
    final class Pending implements AutoCloseable {
        private final Connection connection;
        private volatile boolean shed;

        private Pending(Connection connection) {
            this.connection = connection;
        }

        /** True if the connection was closed to make room for a newer one. */
        boolean wasShed() {
            return shed;
        }

        /** Leaves the pending connections. */
        @Override
        public void close() {
            Guarded.run(lock, () -> pending.remove(this));
        }
    }

    /** Counts {@code connection} as pending until its request has arrived, shedding the oldest if all are taken. */
    Pending pending(Connection connection) {
        Pending p = new Pending(connection);
        Pending oldest = null;
        int waiting;
        lock.lock();
        try {
            if (pending.size() >= maxPending) {
                Iterator<Pending> first = pending.iterator();
                oldest = first.next();
                first.remove();
                oldest.shed = true;
                if (shedding++ == 0) {
                    log.warning(maxPending + " connections are waiting for their request; each new one now"
                            + " closes the oldest");
                }
            } else if (shedding > 0) {
                long n = shedding;
                shedding = 0;
                log.debug(() -> "no longer shedding pending connections; " + n + " were shed");
            }
            pending.add(p);
            waiting = pending.size();
        } finally {
            lock.unlock();
        }
        if (oldest != null) {
            oldest.connection.close();
        }
        log.debug(() -> waiting + " connections waiting for their request");
        return p;
    }

    /** A session if one is free, else a refusal if one is free, else null: close the connection. */
    Ticket admit() {
        if (sessions.tryAcquire()) {
            return Ticket.SESSION;
        }
        return refusals.tryAcquire() ? Ticket.REFUSAL : null;
    }

    void release(Ticket ticket) {
        (ticket == Ticket.SESSION ? sessions : refusals).release();
    }

    /** Why a connection with {@code ticket} is refused, or null if it is served. */
    String refusal(Ticket ticket) {
        return ticket == Ticket.SESSION ? null : "agent busy: " + maxSessions + " sessions running";
    }

    /** Why a connection that got no ticket is closed. */
    String overflow() {
        return maxSessions + " sessions running and as many refusals in progress";
    }

    /** How many sessions are running now. */
    int activeSessions() {
        return maxSessions - sessions.availablePermits();
    }

    /** How many connections are waiting for their request now. */
    int pendingConnections() {
        return Guarded.get(lock, () -> pending.size());
    }
}
