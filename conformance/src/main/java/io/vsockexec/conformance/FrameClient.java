package io.vsockexec.conformance;

import io.vsockexec.base.Deadline;
import io.vsockexec.protocol.BinaryPayloads;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.ExecTtyRequest;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.WindowSize;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw frame-level host for the wire tests: one transport {@link Connection}, the protocol's
 * {@link FrameReader} and {@link FrameWriter}, no SDK, so a test sees every frame the agent sends
 * and can send any bytes it likes. Every read is bounded by a generous timeout so that a broken
 * agent fails a test instead of hanging it.
 */
final class FrameClient implements Closeable {
    /** The read timeout and connect deadline: a safety net, far above what any test needs. */
    static final Duration PATIENCE = Processes.PATIENCE;
    /** Larger than any frame the agent may send (its limit is at most 16 MiB in these tests). */
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final Connection connection;
    private final FrameReader reader;
    private final FrameWriter writer;

    private FrameClient(Connection connection) {
        this.connection = connection;
        this.reader = new FrameReader(new BufferedInputStream(connection.input()), MAX_FRAME);
        this.writer = new FrameWriter(connection.output(), MAX_FRAME);
    }

    static FrameClient connect(Endpoint endpoint) throws IOException {
        return new FrameClient(dial(endpoint));
    }

    /** A connection to {@code endpoint} whose reads wait at most {@link #PATIENCE}, for a test that speaks bytes. */
    static Connection dial(Endpoint endpoint) throws IOException {
        Connection c = Transports.dial(endpoint, Deadline.after(PATIENCE));
        c.readTimeout(io.vsockexec.base.Timeout.of(PATIENCE));
        return c;
    }

    Connection connection() {
        return connection;
    }

    void send(Message message) throws IOException {
        writer.write(Messages.encode(message));
    }

    void sendRaw(byte[] bytes) throws IOException {
        connection.output().write(bytes);
    }

    void stdin(String text) throws IOException {
        send(new Message.Stdin(text.getBytes(StandardCharsets.UTF_8)));
    }

    void endInput() throws IOException {
        send(Message.Stdin.endOfInput());
    }

    void signal(int signal) throws IOException {
        send(new Message.Signal(signal));
    }

    void resize(int rows, int cols) throws IOException {
        send(new Message.Resize(new WindowSize(rows, cols)));
    }

    /** The next frame; fails if the stream ends first. */
    Frame next() throws IOException {
        Frame f = reader.read();
        if (f == null) {
            throw new IOException("the agent closed the connection without a final frame");
        }
        return f;
    }

    /** True if the agent has closed its side (end of stream at a frame boundary). */
    boolean atEnd() throws IOException {
        return reader.read() == null;
    }

    /** Everything up to and including the final frame of a session. */
    Transcript transcript() throws IOException {
        Transcript t = new Transcript();
        while (true) {
            Frame f = next();
            switch (f.type()) {
                case STDOUT -> t.stdout.write(f.payload());
                case STDERR -> t.stderr.write(f.payload());
                case EXEC_RESULT -> {
                    t.result = ExecPayloads.decodeExecResponse(f.payload());
                    return t;
                }
                case EXIT -> {
                    t.exit = BinaryPayloads.decodeExitCode(f.payload());
                    return t;
                }
                default -> throw new IOException("unexpected frame from the agent: " + f);
            }
        }
    }

    /** Reads frames until the stdout seen so far contains {@code text}; returns that stdout. */
    String awaitStdout(Transcript t, String text) throws IOException {
        while (!t.stdout().contains(text)) {
            Frame f = next();
            if (f.type() == MessageType.STDOUT) {
                t.stdout.write(f.payload());
            } else if (f.type() == MessageType.STDERR) {
                t.stderr.write(f.payload());
            } else {
                throw new IOException("expected \"" + text + "\" before " + f + "; stdout so far: " + t.stdout());
            }
        }
        return t.stdout();
    }

    @Override
    public void close() {
        connection.close();
    }

    // ---------------------------------------------------------------- one-shot helpers

    static Transcript run(Endpoint endpoint, Message request) throws IOException {
        return run(endpoint, request, null);
    }

    /** Sends {@code request} (if not null), then {@code raw} bytes (if not null), and reads the transcript. */
    static Transcript run(Endpoint endpoint, Message request, byte[] raw) throws IOException {
        try (FrameClient c = connect(endpoint)) {
            if (request != null) {
                c.send(request);
            }
            if (raw != null) {
                c.sendRaw(raw);
            }
            Transcript t = c.transcript();
            t.closedAfterFinalFrame = c.atEnd();
            return t;
        }
    }

    static ExecResponse exec(Endpoint endpoint, ExecRequest request) throws IOException {
        return run(endpoint, new Message.Exec(request)).result;
    }

    static Transcript stream(Endpoint endpoint, ExecRequest request) throws IOException {
        return run(endpoint, new Message.ExecStream(request));
    }

    static Message.ExecTty tty(String command, int rows, int cols) {
        return new Message.ExecTty(ExecTtyRequest.of(command, rows, cols));
    }

    /** What a session sent. */
    static final class Transcript {
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ExecResponse result;
        Integer exit;
        boolean closedAfterFinalFrame;

        String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String stderr() {
            return stderr.toString(StandardCharsets.UTF_8);
        }

        /** The exit code from whichever final frame came. */
        int code() {
            return exit != null ? exit : result.exitCode();
        }

        @Override
        public String toString() {
            return "Transcript[stdout=" + stdout() + ", stderr=" + stderr() + ", result=" + result + ", exit=" + exit + "]";
        }
    }
}
