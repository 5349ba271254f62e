package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections being served: each is served by a {@link ConnectionHandler} on the thread that
 * accepted it (or one it handed the connection to), as {@link Admission} allows, and known here
 * with its thread meanwhile, so that a shutdown can cancel them and wait.
 */
final class ActiveConnections {
    private final SessionContext context;
    private final Admission admission;
    private final Log log;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<ConnectionHandler, Thread> handlers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ActiveConnections(SessionContext context, Admission admission) {
        this.context = context;
        this.admission = admission;
        this.log = context.log();
    }

    /**
     * Serves {@code c} on the calling thread, as admission allows: a session, a "busy" answer, or a
     * close. Never throws, not even an {@link Error} such as an {@link OutOfMemoryError}: the
     * connection is closed and noted, and the thread (an accepting thread among them) goes on.
     */
    void serve(Connection c) {
        try {
            admitAndServe(c);
        } catch (Throwable t) {
            c.close();
            log.warning("a connection from " + c.remoteAddress() + " failed: " + t);
            log.debug(() -> "the connection's failure", t);
        }
    }

    private void admitAndServe(Connection c) {
        ConnectionHandler handler = new ConnectionHandler(ids.incrementAndGet(), c, context, admission);
        if (!register(handler)) {
            c.close();
            return;
        }
        try {
            handler.run();
        } finally {
            handlers.remove(handler);
        }
    }

    /**
     * Registers {@code handler}, served by the calling thread; false once {@link #close()} was
     * called. Put first, looked at after: either {@link #cancelAll} finds the handler, or this
     * sees the close.
     */
    private boolean register(ConnectionHandler handler) {
        handlers.put(handler, Thread.currentThread());
        if (closed) {
            handlers.remove(handler);
            return false;
        }
        return true;
    }

    /** Registers no more connections; call before {@link #cancelAll}. */
    void close() {
        closed = true;
    }

    /**
     * Cancels every connection's work and waits for them. A session whose host does not read its
     * final frame would wait forever, so after {@code patience} the remaining connections are closed.
     */
    void cancelAll(Duration patience) {
        handlers.keySet().forEach(ConnectionHandler::cancel);
        Deadline deadline = Deadline.after(patience);
        for (Thread t : List.copyOf(handlers.values())) {
            try {
                t.join(Duration.ofNanos(deadline.remainingNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!handlers.isEmpty()) {
            log.debug(() -> handlers.size() + " sessions still open after " + patience + "; closing their connections");
            handlers.keySet().forEach(ConnectionHandler::abort);
            for (Thread t : List.copyOf(handlers.values())) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
