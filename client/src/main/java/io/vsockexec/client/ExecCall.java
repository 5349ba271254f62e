package io.vsockexec.client;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Log;
import io.vsockexec.base.Timeout;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.DataFrameInput;
import io.vsockexec.protocol.DataFrameOutput;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameHeader;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.ProtocolException;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * One call on one connection: an exec, or another request (a file operation, the opening of a
 * port forward). It holds the frame reader and writer, the call's deadline, and the translation of
 * every failure into the SDK's exceptions, whose messages name the call's subject ({@code command
 * on ENDPOINT}, {@code ReadFile /etc/hosts on ENDPOINT}).
 *
 * <p>Any failure ends the call by closing the connection, which is how the protocol cancels a
 * command: the agent sees end of stream and stops the process group. {@link #abort} records why a
 * call was ended from outside the reading thread (the caller cancelled, the local input failed), so
 * the reader reports that reason rather than the closed connection it then runs into.
 *
 * <ul>
 *   <li>Out: {@link #send}, and for input {@link #sendStdin} (the caller's bytes) or
 *       {@link #sendStdinFrame} (a buffer with room for the header). A failed send does not end
 *       the call: the reader reports how it ended.</li>
 *   <li>In: {@link #next}, {@link #decode}, {@link #unexpected}.</li>
 *   <li>End: {@link #finish} after the final frame; {@link #fail} for a failure seen by the
 *       caller; {@link #abort} from another thread; {@link #close} to cancel.</li>
 * </ul>
 */
final class ExecCall implements Closeable {
    private static final Log LOG = Log.process();
    /** Enough for a frame header and a small payload per read; output chunks are read straight through. */
    private static final int READ_BUFFER = 8192;

    private final Endpoint endpoint;
    private final String mode;
    /** What the call is about in messages, e.g. {@code command} or {@code ReadFile /etc/hosts}. */
    private final String subject;
    private final Connection connection;
    /** The connection's input as the reader reads it: raw bytes after a port forward's Ready come from here. */
    private final BufferedInputStream input;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Timeout timeout;
    private final Deadline deadline;
    private final long startNanos;
    private final AtomicReference<IOException> abortReason = new AtomicReference<>();
    private volatile boolean finished;
    private IOException sendFailure;

    private ExecCall(Endpoint endpoint, String mode, String subject, Connection connection, ClientOptions options,
            Timeout timeout, Deadline deadline, long startNanos) {
        this.endpoint = endpoint;
        this.mode = mode;
        this.subject = subject;
        this.connection = connection;
        this.input = new BufferedInputStream(connection.input(), READ_BUFFER);
        this.reader = new FrameReader(input, options.maxFrame());
        this.writer = new FrameWriter(connection.output(), options.maxFrame());
        this.timeout = timeout;
        this.deadline = deadline;
        this.startNanos = startNanos;
    }

    /**
     * Connects and sends the request; the command's time limit starts now and covers connecting.
     *
     * @param mode the request's mode, for messages ({@code Exec}, {@code ExecPipe}, ...)
     * @param callerOnly true when only the calling thread will read and write the connection (no relay threads)
     */
    static ExecCall start(Endpoint endpoint, ClientOptions options, Command command, Message request, String mode,
            boolean callerOnly) throws IOException {
        long start = System.nanoTime();
        Deadline deadline = command.timeout().start();
        // Encoded before connecting: the agent reads the request as soon as it accepts, and a
        // request already on its way spares it a wait (and a wake-up) for the bytes.
        Frame encoded = Messages.encode(request);
        Connection connection = Connector.connect(endpoint, options, deadline, command.timeout(), "command",
                callerOnly);
        connection.deadline(deadline);
        ExecCall call = new ExecCall(endpoint, mode, "command", connection, options, command.timeout(), deadline, start);
        LOG.debug(() -> mode + " " + command + " on " + endpoint + " (peer " + connection.remoteAddress() + ")");
        try {
            call.send(encoded);
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        return call;
    }

    /** Writes a call's request with the call's frame writer: whole, or with its content streamed. */
    @FunctionalInterface
    interface RequestWrite {
        void writeTo(FrameWriter writer) throws IOException;
    }

    /**
     * Connects and sends a request that is not an exec, within {@code timeout}, which covers
     * connecting and the whole call. A request that fails to go out whole does not end the call:
     * an agent that refuses a request may answer and close before reading all of it, and its
     * answer is still to be read ({@link #sendFailure()}).
     *
     * @param mode the request's name, e.g. {@code ReadFile}
     * @param subject what the call is about, e.g. {@code ReadFile /etc/hosts}
     */
    static ExecCall open(Endpoint endpoint, ClientOptions options, Timeout timeout, String mode, String subject,
            RequestWrite request) throws IOException {
        long start = System.nanoTime();
        Deadline deadline = timeout.start();
        Connection connection = Connector.connect(endpoint, options, deadline, timeout, subject, false);
        connection.deadline(deadline);
        ExecCall call = new ExecCall(endpoint, mode, subject, connection, options, timeout, deadline, start);
        LOG.debug(() -> subject + " on " + endpoint + " (peer " + connection.remoteAddress() + ")");
        try {
            request.writeTo(call.writer);
        } catch (InterruptedIOException e) {
            throw call.fail(e);
        } catch (VsockExecException e) {
            throw call.fail(e);
        } catch (IOException e) {
            call.sendFailure = call.translate(e);
        }
        return call;
    }

    /** Why the request did not go out whole, or null: for a caller that finds no answer either. */
    IOException sendFailure() {
        return sendFailure;
    }

    /**
     * The next frame's header, its length checked against the limit of its type (a FileResult may
     * carry 16 MiB in base64), or null if the agent closed the connection without a further frame.
     */
    FrameHeader nextHeader() throws IOException {
        try {
            return reader.readHeader();
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** The payload of the frame whose header was just read, whole. */
    byte[] payload(FrameHeader header) throws IOException {
        try {
            return reader.readPayload(header);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /**
     * The payload of the frame whose header was just read, as a stream of exactly its length; its
     * failures are the connection's, to be passed through {@link #fail}.
     */
    InputStream payloadStream(FrameHeader header) {
        return reader.payload(header);
    }

    /** The data frames of {@code type} that the agent sends, from the frame of {@code first}, just read, as one stream. */
    DataFrameInput dataInput(MessageType type, FrameHeader first) {
        return new DataFrameInput(reader, type, first);
    }

    /** A stream of data frames of {@code type} to the agent, in chunks the call's frame limit admits. */
    DataFrameOutput dataOutput(MessageType type) {
        return new DataFrameOutput(writer, type);
    }

    /** The connection's buffered input: what follows the frames read so far, raw. */
    InputStream input() {
        return input;
    }

    /** The connection itself, for a port forward that has become a raw byte stream. */
    Connection connection() {
        return connection;
    }

    /** What the call is about, for messages. */
    String subject() {
        return subject;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    Deadline deadline() {
        return deadline;
    }

    /** Time since the call started, connecting included. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Sends one message. A failed send does not end the call: the agent may have sent its final
     * frame and closed already, and the frame is still to be read; the reader reports how the call
     * ended.
     */
    void send(Message message) throws IOException {
        send(Messages.encode(message));
    }

    private void send(Frame frame) throws IOException {
        sending(() -> writer.write(frame.type(), frame.payload(), 0, frame.payload().length));
    }

    /** Sends {@code length} bytes of {@code data} as one Stdin frame, without copying them; fails as {@link #send}. */
    void sendStdin(byte[] data, int offset, int length) throws IOException {
        sending(() -> writer.write(MessageType.STDIN, data, offset, length));
    }

    /**
     * Sends {@code length} bytes at {@link FrameDescriptor#PAYLOAD_OFFSET} of {@code frame} as one
     * Stdin frame, its header written into the bytes before them; fails as {@link #send}.
     */
    void sendStdinFrame(byte[] frame, int length) throws IOException {
        sending(() -> writer.writeWithHeaderRoom(MessageType.STDIN, frame, FrameDescriptor.PAYLOAD_OFFSET, length));
    }

    /** The largest Stdin frame this call sends: {@link StdinPump#CHUNK}, or the frame limit if that is lower. */
    int stdinChunk() {
        return Math.min(StdinPump.CHUNK, writer.maxPayload());
    }

    /**
     * The next frame from the agent.
     *
     * @throws ConnectionLostException if the stream ends first: the final frame never came
     */
    Frame next() throws IOException {
        return next(null);
    }

    /**
     * The next frame, its payload read into an array from {@code payloadArrays} (given the length,
     * it returns an array of exactly that length: a recycled one or a new one); null for new arrays.
     *
     * @throws ConnectionLostException if the stream ends first: the final frame never came
     */
    Frame next(IntFunction<byte[]> payloadArrays) throws IOException {
        Frame frame;
        try {
            frame = payloadArrays == null ? reader.read() : reader.read(payloadArrays);
        } catch (IOException e) {
            throw fail(e);
        }
        if (frame == null) {
            throw fail(new ConnectionLostException("agent at " + endpoint
                    + " closed the connection before the " + subject + " finished", null));
        }
        return frame;
    }

    /** The message in {@code frame}; a payload that does not fit its type ends the call. */
    Message decode(Frame frame) throws IOException {
        try {
            return Messages.decode(frame);
        } catch (CorruptFrameException e) {
            throw fail(e);
        }
    }

    /** A frame that has no place in this mode: a protocol error that ends the call, for {@code throw}. */
    IOException unexpected(Frame frame) {
        return unexpected(frame.type());
    }

    /** A frame of {@code type} that has no place in this mode, as {@link #unexpected(Frame)}. */
    IOException unexpected(MessageType type) {
        return fail(new ExecProtocolException("protocol error from " + endpoint + ": unexpected "
                + type + " frame in " + mode + " mode", null));
    }

    /** Marks the final frame as received and closes the connection; the agent expects the close. */
    void finish() {
        finished = true;
        connection.close();
    }

    /**
     * Ends the call because of {@code e}, a failure of the connection, the codec or the caller's
     * side, and returns what the caller should see, for {@code throw call.fail(...)}: the reason of
     * an earlier {@link #abort} if there was one, an SDK exception as it is, any other translated.
     */
    IOException fail(IOException e) {
        connection.close();
        return translate(e);
    }

    /**
     * Ends the call from outside the reading thread for {@code reason}, which the reader then
     * reports. The first reason wins; a call that already finished is left alone.
     */
    void abort(IOException reason) {
        if (!finished && abortReason.compareAndSet(null, reason)) {
            LOG.debug(() -> mode + " on " + endpoint + " aborted: " + reason.getMessage());
        }
        connection.close();
    }

    /** True once the call has ended, by its final frame or a failure. */
    boolean isClosed() {
        return !connection.isOpen();
    }

    /** Cancels the command unless its final frame has come: the agent stops it when the connection closes. Idempotent. */
    @Override
    public void close() {
        if (!finished) {
            abort(new ExecCancelledException(subject + " on " + endpoint + " was cancelled"));
        }
    }

    /** A write of a frame, for {@link #sending}. */
    @FunctionalInterface
    private interface FrameWrite {
        void run() throws IOException;
    }

    /** Runs {@code write}, failing as {@link #send} says; a timeout or an interrupt cancels, as every blocking call does. */
    private void sending(FrameWrite write) throws IOException {
        try {
            write.run();
        } catch (InterruptedIOException e) {
            throw fail(e);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /** What the caller should see for a failure of the connection or codec; the call is left as it is. */
    private IOException translate(IOException e) {
        IOException aborted = abortReason.get();
        if (aborted != null) {
            return aborted;
        }
        if (finished) {
            // A late signal or input: the connection was closed on purpose after the final frame.
            return new VsockExecException(subject + " on " + endpoint + " has already finished", e);
        }
        return switch (e) {
            case VsockExecException done -> done;
            case SocketTimeoutException t -> new ExecTimeoutException(subject + " on " + endpoint + " timed out after "
                    + Durations.format(timeout.duration()), timeout.duration(), t);
            case InterruptedIOException i -> Connector.interrupted(subject + " on " + endpoint, i);
            case ProtocolException p -> new ExecProtocolException("protocol error from " + endpoint + ": "
                    + ExceptionText.of(p), p);
            case EOFException eof -> new ConnectionLostException("connection to " + endpoint
                    + " ended in the middle of a frame: " + ExceptionText.of(eof), eof);
            case ErrnoException errno -> new ConnectionLostException("connection to " + endpoint
                    + " lost before the " + subject + " finished: " + Connector.reason(errno), errno);
            default -> new ConnectionLostException("connection to " + endpoint
                    + " lost before the " + subject + " finished: " + ExceptionText.of(e), e);
        };
    }

    @Override
    public String toString() {
        return "ExecCall[" + mode + " on " + endpoint + (finished ? ", finished" : isClosed() ? ", closed" : "") + "]";
    }
}
