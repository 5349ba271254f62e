package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FrameHeader;
import io.vsockexec.protocol.FrameReader;
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
 * timeout (as one of the pending connections, see {@link Admission}), take a session slot or a
 * refusal, let the handler of its message type ({@link RequestHandlers}) decode it, refuse it or
 * run its {@link Exchange}, then end the connection cleanly and log one line. One try/finally
 * holds everything: the exchange's processes and descriptors, the connection, the slot.
 *
 * <p>The request is read straight from the connection, exactly its bytes and no more, before any
 * buffer of the session exists: a pending connection costs a parked virtual thread and a few
 * small objects, not a session's buffers. A request whose handler streams its payload (a file
 * write) is complete with its header; the payload is read by the session, as it arrives.
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
    private final Admission admission;
    private final ReentrantLock lock = new ReentrantLock();
    private final Log log;
    /** Guarded by {@link #lock}. */
    private Exchange exchange;
    /** Guarded by {@link #lock}. */
    private boolean cancelled;

    ConnectionHandler(int id, Connection connection, SessionContext context, Admission admission) {
        this.name = "session " + id;
        this.connection = connection;
        this.context = context;
        this.admission = admission;
        this.log = context.log();
    }

    /**
     * Serves the connection to its end and closes it.
     *
     * @param pending the connection as one of the pending ones, until its request has arrived
     */
    void run(Admission.Pending pending) {
        long start = System.nanoTime();
        FrameMemory requestMemory = new FrameMemory(context.memory(), connection);
        HostConnection host = null;
        Request request = null;
        Outcome outcome = null;
        Admission.Ticket ticket = null;
        try {
            Request first = readRequest(pending, requestMemory);
            if (first == null) {
                return;
            }
            ticket = admission.admit();
            if (ticket == null) {
                log.warning("closed a connection from " + connection.remoteAddress() + ": " + admission.overflow());
                return;
            }
            connection.stallTimeout(context.config().stallTimeout());
            host = HostConnection.over(name, connection, context.config().maxFrame(), context.memory());
            request = open(first, host, admission.refusal(ticket));
            outcome = serve(request, host.writer());
        } catch (IOException e) {
            log.debug(() -> name + ": connection failed", e);
            outcome = Outcome.refused("no final frame sent: " + (e.getMessage() != null ? e.getMessage() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug(() -> name + " failed", e);
            outcome = Outcome.refused("internal error: " + e);
        } finally {
            Exchange served = request == null ? null : request.exchange();
            end(ticket == null, served == null ? null : served.reader());
            requestMemory.close();
            if (host != null) {
                host.memory().close();
            }
            if (ticket != null) {
                admission.release(ticket);
            }
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

    private boolean isCancelled() {
        return Guarded.get(lock, () -> cancelled);
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
     * @param header the first frame's header, until the request is opened; then null
     * @param payload the payload as it came, or null if the handler streams it from the connection
     * @param exchange what serves the request, once opened; null if it could not be
     * @param refusal why the request is refused, or null
     */
    private record Request(RequestHandler handler, FrameHeader header, byte[] payload, Exchange exchange,
            String refusal) {}

    /**
     * The first frame, as one of the pending connections, or null if the connection ended, timed
     * out or was shed before a request arrived (already logged). Its payload is reserved from the
     * agent's budget in {@code memory} as it arrives.
     */
    private Request readRequest(Admission.Pending pending, FrameMemory memory) throws IOException {
        FrameHeader header;
        byte[] payload = null;
        Duration timeout = context.config().requestTimeout();
        connection.deadline(Deadline.after(timeout));
        try (pending) {
            try {
                FrameReader first = new FrameReader(connection.input(), context.config().maxFrame(), memory);
                header = first.readHeader();
                if (header != null && !streamsPayload(header)) {
                    if (header.length() > first.maxPayload()) {
                        throw new FrameTooLongException(header.length(), first.maxPayload(), header.type().code());
                    }
                    payload = first.readPayload(header);
                }
            } catch (FrameTooLongException e) {
                return new Request(context.handlers().forCode(e.typeCode()), null, null, null, "request of "
                        + e.length() + " bytes exceeds the frame limit of " + e.limit() + " bytes");
            } catch (UnknownMessageTypeException e) {
                return new Request(null, null, null, null, e.getMessage());
            } catch (SocketTimeoutException e) {
                log.info(name + ": no complete request within " + Durations.format(timeout) + "; closed");
                return null;
            } catch (EOFException e) {
                log.info(name + ": connection ended inside the request; closed");
                return null;
            } catch (IOException e) {
                if (pending.wasShed()) {
                    log.debug(() -> name + ": closed while waiting for its request, to make room for a newer one");
                    return null;
                }
                if (isCancelled()) {
                    log.debug(() -> name + ": closed while waiting for its request: the agent is shutting down");
                    return null;
                }
                throw e;
            }
        } finally {
            connection.deadline(Deadline.none());
        }
        if (header == null) {
            return null; // connected and closed without a word: a probe
        }
        RequestHandler handler = context.handlers().forCode(header.type().code());
        if (handler == null) {
            return new Request(null, null, null, null, "expected a request (" + context.handlers().names()
                    + ") as the first frame, got " + header.type());
        }
        return new Request(handler, header, payload, null, null);
    }

    private boolean streamsPayload(FrameHeader header) {
        RequestHandler handler = context.handlers().forCode(header.type().code());
        return handler != null && handler.streamsPayload();
    }

    /**
     * The request its handler has decoded, unless it is refused already or admission refuses it.
     * A streamed payload is read from here on through the session's buffered input.
     */
    private Request open(Request request, HostConnection host, String admissionRefusal) {
        if (request.refusal() != null) {
            return request;
        }
        if (admissionRefusal != null) {
            return new Request(request.handler(), null, null, null, admissionRefusal);
        }
        FrameHeader header = request.header();
        RequestPayload payload = request.payload() != null ? RequestPayload.of(header.type(), request.payload())
                : RequestPayload.streamed(header.type(), host.reader().payload(header));
        try {
            return new Request(request.handler(), null, null, request.handler().open(payload, host, context), null);
        } catch (CorruptFrameException e) {
            return new Request(request.handler(), null, null, null, "invalid request: " + e.getMessage());
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
     * input is discarded here. A connection that got no answer ({@code unanswered}) is closed at once.
     */
    private void end(boolean unanswered, Thread inbound) {
        if (unanswered) {
            connection.close();
            return;
        }
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
