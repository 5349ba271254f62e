package io.vsockexec.client;

import io.vsockexec.base.Deadline;
import io.vsockexec.protocol.BinaryPayloads;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted agent for tests that need no real one: it accepts connections on an endpoint, reads
 * each request frame with the protocol module's reader and hands the connection to a script that
 * answers with its writer, byte for byte what the test wants, including what only the Go agent
 * or a broken agent would send.
 */
final class FakeAgent implements AutoCloseable {
    /** Only a broken test waits this long. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    /** What a fake agent does with one connection. */
    interface Script {
        void serve(Peer peer) throws Exception;
    }

    /** The agent's side of one connection. */
    static final class Peer {
        final Frame request;
        final FrameReader in;
        final FrameWriter out;
        final Connection connection;

        Peer(Frame request, FrameReader in, FrameWriter out, Connection connection) {
            this.request = request;
            this.in = in;
            this.out = out;
            this.connection = connection;
        }

        Message requestMessage() throws IOException {
            return Messages.decode(request);
        }

        void send(Message message) throws IOException {
            out.write(Messages.encode(message));
        }

        void send(MessageType type, String text) throws IOException {
            out.write(new Frame(type, text.getBytes(StandardCharsets.UTF_8)));
        }

        void result(int exitCode, String stdout, String stderr, String error) throws IOException {
            send(new Message.ExecResult(new ExecResponse(exitCode, Bytes.of(bytes(stdout)), Bytes.of(bytes(stderr)), error)));
        }

        void exit(int code) throws IOException {
            out.write(new Frame(MessageType.EXIT, BinaryPayloads.encodeExitCode(code)));
        }

        /** Every frame the host sends until it closes the connection. */
        List<Frame> framesUntilHostCloses() throws IOException {
            List<Frame> frames = new ArrayList<>();
            for (Frame f = in.read(); f != null; f = in.read()) {
                frames.add(f);
            }
            return frames;
        }

        /** Reads the host's frames up to and including the empty Stdin that ends its input. */
        List<Frame> framesUntilEndOfInput() throws IOException {
            List<Frame> frames = new ArrayList<>();
            for (Frame f = in.read(); f != null; f = in.read()) {
                frames.add(f);
                if (f.type() == MessageType.STDIN && f.payload().length == 0) {
                    break;
                }
            }
            return frames;
        }

        /** The next frame from the host, or null once it has closed. */
        Frame next() throws IOException {
            return in.read();
        }

        private static byte[] bytes(String s) {
            return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Listener listener;
    private final Script script;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    /** Requests in the order they arrived. */
    final BlockingQueue<Frame> requests = new LinkedBlockingQueue<>();
    /** Scripts that returned normally, one entry per connection. */
    final BlockingQueue<String> served = new LinkedBlockingQueue<>();

    private FakeAgent(Listener listener, Script script) {
        this.listener = listener;
        this.script = script;
        Thread.ofVirtual().name("fake-agent").start(this::acceptLoop);
    }

    /** A fake agent listening on {@code endpoint}. */
    static FakeAgent listen(Endpoint endpoint, Script script) throws IOException {
        return new FakeAgent(Transports.listen(endpoint), script);
    }

    Endpoint endpoint() {
        return listener.endpoint();
    }

    VsockExecClient client() {
        return VsockExecClient.of(endpoint());
    }

    /** Waits until {@code n} scripts have run to their end; fails on a script's exception. */
    void awaitServed(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            if (served.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS) == null) {
                throw new AssertionError("fake agent script did not finish; failures: " + failures);
            }
        }
        rethrowFailures();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                Connection connection = listener.accept(Deadline.none());
                Thread.ofVirtual().name("fake-agent-session").start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Connection connection) {
        try (connection) {
            connection.deadline(Deadline.after(PATIENCE));
            FrameReader in = new FrameReader(connection.input(), FrameDescriptor.DEFAULT_MAX_PAYLOAD);
            FrameWriter out = new FrameWriter(connection.output());
            Frame request = in.read();
            if (request == null) {
                served.add("no request");
                return;
            }
            requests.add(request);
            script.serve(new Peer(request, in, out, connection));
            served.add("ok");
        } catch (Throwable t) {
            failures.add(t);
            served.add("failed");
        }
    }

    private void rethrowFailures() {
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("fake agent script failed", failures.getFirst());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    @Override
    public void close() {
        listener.close();
        rethrowFailures();
    }
}
