package io.vsockexec.agent;

import java.util.concurrent.Semaphore;

/**
 * Which connections get a session: at most {@link AgentConfig#maxSessions()} at once. A
 * connection beyond the cap still has its request read and answered "agent busy", so a host
 * never waits in vain; at most as many refusals as sessions are in progress at once, and beyond
 * that, connections are closed at once. A class of its own so that the rules can be replaced.
 */
final class Admission {
    /** What a connection was admitted to; give it back with {@link #release}. */
    enum Ticket { SESSION, REFUSAL }

    private final int maxSessions;
    private final Semaphore sessions;
    private final Semaphore refusals;

    Admission(int maxSessions) {
        this.maxSessions = maxSessions;
        this.sessions = new Semaphore(maxSessions);
        this.refusals = new Semaphore(maxSessions);
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
}
