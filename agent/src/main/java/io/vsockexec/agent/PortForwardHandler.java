package io.vsockexec.agent;

import io.vsockexec.base.ByteCopy;
import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.PortForwardPayloads;
import io.vsockexec.protocol.PortForwardRequest;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.TcpEndpoint;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code PortForward}: connects to a TCP port inside the guest ({@code 127.0.0.1} unless the
 * request names a host), answers {@code Ready} with an empty payload, and from then on relays raw
 * bytes both ways until both directions have ended. End of stream is passed on as a half-close in
 * either direction, so a request-then-response protocol works through it. A failure to connect is
 * answered as the Go agent answers it, with a {@code Stderr} frame such as
 * {@code connect 127.0.0.1:8080 failed: connection refused}, and no {@code Ready}.
 *
 * <p>The host's bytes are read from {@link HostConnection#input()}: bytes that came with the
 * request, before the {@code Ready}, are in its buffer already.
 */
final class PortForwardHandler implements RequestHandler {
    static final PortForwardHandler INSTANCE = new PortForwardHandler();

    private static final Kind KIND = new Kind(MessageType.PORT_FORWARD, "PortForward", "port-forward");
    /** How long connecting to the guest's port may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private PortForwardHandler() {}

    @Override
    public Kind kind() {
        return KIND;
    }

    /** A {@code Stderr} frame with the reason, as the Go agent refuses a forward. */
    @Override
    public void refuse(FrameWriter writer, String reason) throws IOException {
        writer.write(Messages.encode(new Message.Stderr(reason.getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context)
            throws CorruptFrameException {
        return new Forward(PortForwardPayloads.decodePortForwardRequest(payload.bytes()), host, context.log());
    }

    /** One forwarded connection. */
    private static final class Forward implements Exchange {
        private final String targetHost;
        private final int port;
        private final HostConnection host;
        private final Log log;
        private final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}. */
        private Connection target;
        /** Guarded by {@link #lock}. */
        private boolean cancelled;
        private volatile Thread inbound;
        private volatile long toGuest;
        private volatile long toHost;

        Forward(PortForwardRequest request, HostConnection host, Log log) {
            this.targetHost = request.effectiveHost();
            this.port = request.port();
            this.host = host;
            this.log = log;
        }

        @Override
        public Outcome run() throws IOException, InterruptedException {
            if (port == 0) {
                return refused("invalid remote port 0");
            }
            Connection c;
            try {
                c = Transports.dial(new TcpEndpoint(targetHost, port), Deadline.after(CONNECT_TIMEOUT));
            } catch (IOException | IllegalArgumentException e) {
                return refused("connect " + targetHost + ":" + port + " failed: " + reason(e));
            }
            if (!attach(c)) {
                c.close();
                return refused("the agent is shutting down");
            }
            try (c) {
                host.writer().write(Frame.empty(MessageType.READY));
                host.writer().flush();
                return relay(c);
            }
        }

        /**
         * Relays the guest's bytes to the host on this thread and the host's to the guest on
         * another, until both have ended. If the guest's side fails, the host's reader is left to
         * the connection's linger, which closes it.
         */
        private Outcome relay(Connection c) throws InterruptedException {
            Thread in = Thread.ofVirtual().name(host.name() + " forward in").start(() -> toGuest(c));
            inbound = in;
            try {
                toHost = ByteCopy.copy(c.input(), host.connection().output());
                host.connection().shutdownOutput();
            } catch (IOException e) {
                log.debug(() -> host.name() + ": forward to the host ended: " + e.getMessage());
                c.close();
                return Outcome.completed("");
            }
            in.join();
            return Outcome.completed("");
        }

        /** The host's bytes to the guest, then a half-close; a failure closes the guest's side. */
        private void toGuest(Connection c) {
            try {
                toGuest = ByteCopy.copy(host.input(), c.output());
                c.shutdownOutput();
            } catch (IOException e) {
                log.debug(() -> host.name() + ": forward to the guest ended: " + e.getMessage());
                c.close();
            }
        }

        private Outcome refused(String reason) throws IOException {
            host.writer().write(Messages.encode(new Message.Stderr(reason.getBytes(StandardCharsets.UTF_8))));
            return Outcome.completed(reason);
        }

        private boolean attach(Connection c) {
            lock.lock();
            try {
                target = c;
                return !cancelled;
            } finally {
                lock.unlock();
            }
        }

        /** Closes the guest's side, which ends both directions. */
        @Override
        public void cancel(String reason) {
            Connection c;
            lock.lock();
            try {
                cancelled = true;
                c = target;
            } finally {
                lock.unlock();
            }
            if (c != null) {
                c.close();
            }
        }

        @Override
        public Thread reader() {
            Thread t = inbound;
            return t != null && t.isAlive() ? t : null;
        }

        @Override
        public String summary() {
            return Launcher.printable(targetHost) + ":" + port + (inbound == null ? ""
                    : " to-guest=" + toGuest + " to-host=" + toHost);
        }

        /** Why connecting failed, in the words of Go's errors where there are some. */
        private String reason(Exception e) {
            return switch (e) {
                case UnknownHostException u -> "lookup " + targetHost + ": no such host";
                case SocketTimeoutException t -> "i/o timeout";
                case ErrnoException errno -> ErrnoException.goText(errno.errno());
                case IllegalArgumentException bad -> "invalid host: " + bad.getMessage();
                default -> String.valueOf(e.getMessage());
            };
        }
    }
}
