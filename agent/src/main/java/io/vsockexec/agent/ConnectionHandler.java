package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Log;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameTooLongException;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Payloads;
import io.vsockexec.protocol.UnknownMessageTypeException;
import io.vsockexec.transport.Connection;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted connection, on its own virtual thread: read the request within the request
 * timeout, refuse it or run its session, then end the connection cleanly. One try/finally holds
 * everything: the session's processes and descriptors, the connection, the session permit.
 *
 * <p><b>Ending.</b> After the final frame the agent half-closes its side, then reads and discards
 * what the host still sends until the host closes or {@link #LINGER} passes, and only then
 * closes. Closing a socket with unread input makes the kernel send a reset, which can destroy the
 * final frame before the host has read it.
 */
final class ConnectionHandler {
    /** How long the agent waits for the host to close after the final frame. */
    static final Duration LINGER = Duration.ofSeconds(1);

    private final int id;
    private final Connection connection;
    private final SessionContext context;
    private final Log log;
    private final boolean permitted;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private Session session;
    /** Guarded by {@link #lock}. */
    private boolean cancelled;

    /**
     * @param permitted whether a session permit was granted; if not, the request is answered "busy"
     */
    ConnectionHandler(int id, Connection connection, SessionContext context, boolean permitted) {
        this.id = id;
        this.connection = connection;
        this.context = context;
        this.log = context.log();
        this.permitted = permitted;
    }

    /** Serves the connection to its end and closes it. */
    void run() {
        long start = System.nanoTime();
        FrameReader reader = new FrameReader(new BufferedInputStream(connection.input()), context.config().maxFrame());
        FrameWriter writer = new FrameWriter(connection.output(), context.config().maxFrame());
        Thread inbound = null;
        Mode mode = null;
        Session s = null;
        Outcome outcome = null;
        try {
            Request request = readRequest(reader, writer);
            if (request == null) {
                return;
            }
            mode = request.mode();
            if (request.refusal() != null) {
                outcome = refuse(mode, writer, request.refusal());
                return;
            }
            s = new Session("session " + id, mode, request.session(), context, connection, reader, writer);
            if (!register(s)) {
                outcome = refuse(mode, writer, "the agent is shutting down");
                return;
            }
            try {
                outcome = s.run();
            } finally {
                inbound = s.inbound();
            }
        } catch (IOException e) {
            log.debug(() -> "session " + id + ": connection failed", e);
            outcome = Outcome.refused("no final frame sent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug(() -> "session " + id + " failed", e);
            outcome = Outcome.refused("internal error: " + e);
        } finally {
            end(inbound);
            if (outcome != null) {
                logSession(mode, s, outcome, System.nanoTime() - start);
            }
        }
    }

    /** Cancels the session, or ends the wait for a request, for the agent's shutdown. */
    void cancel() {
        Session s;
        lock.lock();
        try {
            cancelled = true;
            s = session;
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.cancel("the agent is shutting down");
        } else {
            connection.close();
        }
    }

    /** Closes the connection at once, waking threads blocked on it: the last step of a shutdown. */
    void abort() {
        connection.close();
    }

    private boolean register(Session s) {
        lock.lock();
        try {
            if (cancelled) {
                return false;
            }
            session = s;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A request, or a refusal to answer in the mode's error way.
     *
     * @param mode the mode the request asked for; null if the first frame was no request
     * @param session what to run, when there is no refusal
     * @param refusal why the request is refused, or null
     */
    private record Request(Mode mode, SessionRequest session, String refusal) {}

    /** The request, or null if the connection ended or timed out before one arrived (already logged). */
    private Request readRequest(FrameReader reader, FrameWriter writer) throws IOException {
        Frame frame;
        connection.deadline(Deadline.after(context.config().requestTimeout()));
        try {
            frame = reader.read();
        } catch (FrameTooLongException e) {
            return new Request(Mode.of(e.typeCode()), null, "request of " + e.length()
                    + " bytes exceeds the frame limit of " + e.limit() + " bytes");
        } catch (UnknownMessageTypeException e) {
            return new Request(null, null, e.getMessage());
        } catch (SocketTimeoutException e) {
            log.info("session " + id + ": no complete request within "
                    + Durations.format(context.config().requestTimeout()) + "; closed");
            return null;
        } catch (EOFException e) {
            log.info("session " + id + ": connection ended inside the request; closed");
            return null;
        } finally {
            connection.deadline(Deadline.none());
        }
        if (frame == null) {
            return null; // connected and closed without a word: a probe
        }
        Mode mode = Mode.of(frame.type().code());
        if (mode == null) {
            return new Request(null, null, "expected a request (Exec, ExecStream, ExecPipe or ExecTTY) as the first"
                    + " frame, got " + frame.type());
        }
        if (!permitted) {
            return new Request(mode, null, "agent busy: " + context.config().maxSessions() + " sessions running");
        }
        try {
            SessionRequest session = mode == Mode.TTY
                    ? SessionRequest.of(Payloads.decodeExecTtyRequest(frame.payload()))
                    : SessionRequest.of(Payloads.decodeExecRequest(frame.payload()));
            return new Request(mode, session, null);
        } catch (CorruptFrameException e) {
            return new Request(mode, null, "invalid request: " + e.getMessage());
        }
    }

    private Outcome refuse(Mode mode, FrameWriter writer, String reason) throws IOException {
        log.debug(() -> "session " + id + ": refused: " + reason);
        Mode.answerError(mode, writer, reason);
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
            log.debug(() -> "session " + id + ": ending the connection", e);
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
            log.debug(() -> "session " + id + ": the host did not close within " + LINGER);
        }
    }

    /** {@code session 7 exec-pipe /usr/bin/cat user=nobody exit=0 1.2s}, and the reason after a colon if any. */
    private void logSession(Mode mode, Session s, Outcome outcome, long nanos) {
        StringBuilder line = new StringBuilder("session ").append(id).append(' ')
                .append(mode == null ? "unknown-request" : mode.label());
        if (s != null) {
            String user = s.user();
            line.append(' ').append(s.program()).append(" user=").append(user.isEmpty() ? "-" : Launcher.printable(user));
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
