package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Log;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FrameTooLongException;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.UnknownMessageTypeException;
import io.vsockexec.transport.Connection;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted connection, on the thread that accepted it: read the request within the request
 * timeout, let the handler of its message type ({@link RequestHandlers}) decode it, refuse it or
 * run its {@link Exchange}, then end the connection cleanly and log one line. One try/finally
 * holds everything: the exchange's processes and descriptors, the connection.
 *
 * <p><b>Ending.</b> After the final frame the agent half-closes its side, then reads and discards
 * what the host still sends until the host closes or {@link #LINGER} passes, and only then
 * closes. Closing a socket with unread input makes the kernel send a reset, which can destroy the
 * final frame before the host has read it.
 */
final class ConnectionHandler {
    /** How long the agent waits for the host to close after the final frame. */
    static final Duration LINGER = Duration.ofSeconds(1);

    /** {@code session 7}, for log lines. */
    private final String name;
    private final Connection connection;
    private final SessionContext context;
    private final ReentrantLock lock = new ReentrantLock();
    /** Why admission refuses every request on this connection, or null. */
    private final String refusal;
    private final Log log;
    /** Guarded by {@link #lock}. */
    private Exchange exchange;
    /** Guarded by {@link #lock}. */
    private boolean cancelled;

    /**
     * @param refusal why admission refuses every request on this connection (it is answered so
     *     in the request's own way), or null to serve it
     */
    ConnectionHandler(int id, Connection connection, SessionContext context, String refusal) {
        this.name = "session " + id;
        this.connection = connection;
        this.context = context;
        this.refusal = refusal;
        this.log = context.log();
    }

    /** Serves the connection to its end and closes it. */
    void run() {
        long start = System.nanoTime();
        HostConnection host = HostConnection.over(name, connection, context.config().maxFrame(), context.memory());
        Request request = null;
        Outcome outcome = null;
        try {
            request = readRequest(host);
            if (request != null) {
                outcome = serve(request, host.writer());
            }
        } catch (IOException e) {
            log.debug(() -> name + ": connection failed", e);
            outcome = Outcome.refused("no final frame sent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug(() -> name + " failed", e);
            outcome = Outcome.refused("internal error: " + e);
        } finally {
            Exchange served = request == null ? null : request.exchange();
            end(served == null ? null : served.reader());
            host.memory().close();
            if (outcome != null) {
                logSession(request, outcome, System.nanoTime() - start);
            }
        }
    }

    /** Runs the request's exchange, or answers why not. */
    private Outcome serve(Request request, FrameWriter writer) throws IOException, InterruptedException {
        if (request.refusal() != null) {
            return refuse(request.handler(), writer, request.refusal());
        }
        if (!register(request.exchange())) {
            return refuse(request.handler(), writer, "the agent is shutting down");
        }
        return request.exchange().run();
    }

    /** Cancels the request's work, or ends the wait for a request, for the agent's shutdown. */
    void cancel() {
        Exchange e;
        lock.lock();
        try {
            cancelled = true;
            e = exchange;
        } finally {
            lock.unlock();
        }
        if (e != null) {
            e.cancel("the agent is shutting down");
        } else {
            connection.close();
        }
    }

    /** Closes the connection at once, waking threads blocked on it: the last step of a shutdown. */
    void abort() {
        connection.close();
    }

    /** Registers {@code e} for cancellation; false if the agent is shutting down. */
    private boolean register(Exchange e) {
        lock.lock();
        try {
            if (cancelled) {
                return false;
            }
            exchange = e;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A request, or a refusal to answer in the request's way.
     *
     * @param handler the handler of the request's type; null if the first frame was no request
     * @param exchange what serves the request, once decoded; null if it could not be
     * @param refusal why the request is refused, or null
     */
    private record Request(RequestHandler handler, Exchange exchange, String refusal) {}

    /** The request, or null if the connection ended or timed out before one arrived (already logged). */
    private Request readRequest(HostConnection host) throws IOException {
        RequestPayload frame;
        connection.deadline(Deadline.after(context.config().requestTimeout()));
        try {
            frame = RequestPayload.read(host.reader(), context.handlers());
        } catch (FrameTooLongException e) {
            return new Request(context.handlers().forCode(e.typeCode()), null, "request of " + e.length()
                    + " bytes exceeds the frame limit of " + e.limit() + " bytes");
        } catch (UnknownMessageTypeException e) {
            return new Request(null, null, e.getMessage());
        } catch (SocketTimeoutException e) {
            log.info(name + ": no complete request within "
                    + Durations.format(context.config().requestTimeout()) + "; closed");
            return null;
        } catch (EOFException e) {
            log.info(name + ": connection ended inside the request; closed");
            return null;
        } finally {
            connection.deadline(Deadline.none());
        }
        return frame == null ? null : decode(frame, host); // null: connected and closed without a word, a probe
    }

    /** The first frame as a request its handler has decoded, unless it is none or admission refuses it. */
    private Request decode(RequestPayload frame, HostConnection host) {
        RequestHandler handler = context.handlers().forCode(frame.type().code());
        if (handler == null) {
            return new Request(null, null, "expected a request (" + context.handlers().names()
                    + ") as the first frame, got " + frame.type());
        }
        if (refusal != null) {
            return new Request(handler, null, refusal);
        }
        try {
            return new Request(handler, handler.open(frame, host, context), null);
        } catch (CorruptFrameException e) {
            return new Request(handler, null, "invalid request: " + e.getMessage());
        }
    }

    private Outcome refuse(RequestHandler handler, FrameWriter writer, String reason) throws IOException {
        log.debug(() -> name + ": refused: " + reason);
        RequestHandlers.refuse(handler, writer, reason);
        return Outcome.refused(reason);
    }

    /**
     * Half-closes, lets the host read the final frame and close, then closes. {@code inbound},
     * the session's reader, is already reading (and discarding) the connection; without one, the
     * input is discarded here.
     */
    private void end(Thread inbound) {
        try {
            connection.shutdownOutput();
            if (inbound != null) {
                inbound.join(LINGER);
            } else {
                discardInput();
            }
        } catch (IOException e) {
            log.debug(() -> name + ": ending the connection", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
        }
        if (inbound != null) {
            try {
                inbound.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads and drops bytes until end of stream or the linger time has passed. */
    private void discardInput() throws IOException {
        connection.deadline(Deadline.after(LINGER));
        InputStream in = connection.input();
        byte[] scratch = new byte[8192];
        try {
            while (in.read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            log.debug(() -> name + ": the host did not close within " + LINGER);
        }
    }

    /** {@code session 7 exec-pipe /usr/bin/cat user=nobody exit=0 1.2s}, and the reason after a colon if any. */
    private void logSession(Request request, Outcome outcome, long nanos) {
        RequestHandler handler = request == null ? null : request.handler();
        Exchange served = request == null ? null : request.exchange();
        StringBuilder line = new StringBuilder(name).append(' ')
                .append(handler == null ? "unknown-request" : handler.kind().label());
        String summary = served == null ? "" : served.summary();
        if (!summary.isEmpty()) {
            line.append(' ').append(summary);
        }
        if (outcome.exitCode() != null) {
            line.append(" exit=").append(outcome.exitCode());
        }
        line.append(' ').append(Durations.format(Duration.ofNanos(nanos)));
        if (!outcome.error().isEmpty()) {
            line.append(": ").append(Launcher.printable(outcome.error()));
        }
        log.info(line.toString());
    }
}
