package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections being served: each is counted as pending by {@link Admission} the moment it is
 * accepted, served by a {@link ConnectionHandler} on the thread that accepted it (or one it
 * handed the connection to), and known here with its thread meanwhile, so that a shutdown can
 * cancel them and wait.
 *
 * <p>A platform thread (the fast path of {@link PlatformServers}) serves a connection only if its
 * request is arriving; an idle peer's connection is handed to a virtual thread at once, so idle
 * peers never hold the few threads of the fast path.
 */
final class ActiveConnections {
    /**
     * How long a platform thread waits for the first bytes of a connection it accepted before it
     * hands the connection to a virtual thread. A host sends its request right after connecting,
     * so it is almost always there at once; generous enough for a host on a busy machine.
     */
    static final Duration FIRST_LOOK = Duration.ofMillis(50);

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
        Admission.Pending pending = null;
        try {
            pending = admission.pending(c);
            if (!Thread.currentThread().isVirtual() && !requestArriving(c)) {
                Admission.Pending p = pending;
                Thread.ofVirtual().name("vsockexec connection").start(() -> serveSafely(c, p));
                return;
            }
        } catch (Throwable t) {
            failed(c, pending, t);
            return;
        }
        serveSafely(c, pending);
    }

    /** True if the host's first bytes arrive within {@link #FIRST_LOOK} (or the wait fails: the session will see why). */
    private static boolean requestArriving(Connection c) {
        try {
            return Descriptor.awaitReadable(Deadline.after(FIRST_LOOK), c.descriptor()) != 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void serveSafely(Connection c, Admission.Pending pending) {
        try {
            ConnectionHandler handler = new ConnectionHandler(ids.incrementAndGet(), c, context, admission);
            if (!register(handler)) {
                pending.close();
                c.close();
                return;
            }
            try {
                handler.run(pending);
            } finally {
                handlers.remove(handler);
            }
        } catch (Throwable t) {
            failed(c, pending, t);
        }
    }

    private void failed(Connection c, Admission.Pending pending, Throwable t) {
        c.close();
        if (pending != null) {
            pending.close();
        }
        log.warning("a connection from " + c.remoteAddress() + " failed: " + t);
        log.debug(() -> "the connection's failure", t);
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
