package io.vsockexec.client;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.FrameHeader;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.PortForwardRequest;
import io.vsockexec.transport.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A TCP connection to a port inside the VM, made by its agent ({@link VsockExecClient#forward}):
 * read the service's bytes from {@link #input()}, write to it through {@link #output()}, end your
 * side with {@link #shutdownOutput()} (the service reads end of stream and may still answer) and
 * close it when done. The service closing its side is end of stream on {@link #input()}.
 *
 * <p>One thread may read while another writes. Once open the connection has no time limit; a
 * failure of the connection to the agent is a {@link ConnectionLostException}.
 */
public final class ForwardedConnection implements Closeable {
    private final ExecCall call;
    private final String target;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    private ForwardedConnection(ExecCall call, String target) {
        this.call = call;
        this.target = target;
    }

    /** Opens a forward to {@code host:port} inside the VM; see {@link VsockExecClient#forward}. */
    static ForwardedConnection open(Endpoint endpoint, ClientOptions options, String host, int port)
            throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        PortForwardRequest request = new PortForwardRequest(host, port);
        String target = request.effectiveHost() + ":" + port;
        ExecCall call = ExecCall.open(endpoint, options, options.callTimeout(), "PortForward", "port forward to " + target,
                writer -> writer.write(Messages.encode(new Message.PortForward(request))));
        try {
            FrameHeader header = call.nextHeader();
            if (header == null) {
                IOException unsent = call.sendFailure();
                throw call.fail(unsent != null ? unsent : new UnsupportedRequestException("agent at " + endpoint
                        + " does not support PortForward: it closed the connection without answering", "PortForward"));
            }
            switch (header.type()) {
                case READY -> {
                    if (header.length() != 0) {
                        throw call.unexpected(MessageType.READY);
                    }
                    call.connection().deadline(Deadline.none());
                    return new ForwardedConnection(call, target);
                }
                case STDERR -> {
                    String reason = new String(call.payload(header), StandardCharsets.UTF_8);
                    call.finish();
                    throw new ForwardRefusedException("port forward to " + target + " through " + endpoint
                            + " refused: " + reason, target, reason);
                }
                case EXEC_RESULT -> {
                    String error = ExecPayloads.decodeExecResponse(call.payload(header)).error();
                    throw call.fail(new UnsupportedRequestException("agent at " + endpoint
                            + " does not support PortForward: it answered \"" + error + "\"", "PortForward"));
                }
                default -> throw call.unexpected(header.type());
            }
        } catch (IOException | RuntimeException e) {
            call.close();
            throw e;
        }
    }

    /** The service's bytes; end of stream once it has closed its side. */
    public InputStream input() {
        return input;
    }

    /** Bytes to the service; each write is sent at once. */
    public OutputStream output() {
        return output;
    }

    /** Ends this side: the service reads end of stream, and may still send. */
    public void shutdownOutput() throws IOException {
        try {
            call.connection().shutdownOutput();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** {@code HOST:PORT} inside the VM. */
    public String target() {
        return target;
    }

    /** The agent's endpoint. */
    public Endpoint endpoint() {
        return call.endpoint();
    }

    /** Closes the connection, both ways; the agent closes its connection to the service. Idempotent. */
    @Override
    public void close() {
        call.finish();
    }

    @Override
    public String toString() {
        return "ForwardedConnection[" + target + " through " + call.endpoint() + "]";
    }

    private IOException lost(IOException e) {
        if (e instanceof InterruptedIOException || e instanceof VsockExecException) {
            return e;
        }
        String reason = e instanceof ErrnoException errno ? Connector.reason(errno) : ExceptionText.of(e);
        return new ConnectionLostException("port forward to " + target + " through " + call.endpoint() + " lost: "
                + reason, e);
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            try {
                return call.input().read();
            } catch (IOException e) {
                throw lost(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return call.input().read(b, off, len);
            } catch (IOException e) {
                throw lost(e);
            }
        }

        @Override
        public int available() throws IOException {
            return call.input().available();
        }

        @Override
        public void close() {
            ForwardedConnection.this.close();
        }
    }

    private final class Output extends ArrayOutput {
        @Override
        void writeRange(byte[] b, int off, int len) throws IOException {
            try {
                call.connection().output().write(b, off, len);
            } catch (IOException e) {
                throw lost(e);
            }
        }

        @Override
        public void close() {
            ForwardedConnection.this.close();
        }
    }
}
