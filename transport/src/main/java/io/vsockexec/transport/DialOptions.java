package io.vsockexec.transport;

import io.vsockexec.base.Timeout;
import java.time.Duration;
import java.util.Objects;

/** How to dial. Immutable; each setter returns a modified copy. */
public final class DialOptions {
    /** The default limit for a hybrid VM's reply to {@code CONNECT}. */
    public static final Timeout DEFAULT_HANDSHAKE_TIMEOUT = Timeout.of(Duration.ofSeconds(5));
    private static final DialOptions DEFAULTS = new DialOptions(DEFAULT_HANDSHAKE_TIMEOUT, false);

    private final Timeout handshakeTimeout;
    private final boolean jdkChannel;

    private DialOptions(Timeout handshakeTimeout, boolean jdkChannel) {
        this.handshakeTimeout = handshakeTimeout;
        this.jdkChannel = jdkChannel;
    }

    /** The defaults: a five-second hybrid handshake timeout, the native layer's sockets. */
    public static DialOptions defaults() {
        return DEFAULTS;
    }

    /**
     * How long a hybrid VM may take to answer {@code CONNECT PORT}; the earlier of this and the
     * dial deadline applies. {@link Timeout#NONE} leaves only the dial deadline.
     */
    public DialOptions handshakeTimeout(Timeout timeout) {
        return new DialOptions(Objects.requireNonNull(timeout, "timeout"), jdkChannel);
    }

    /** The hybrid handshake timeout. */
    public Timeout handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Whether Unix, TCP and hybrid endpoints are dialed with the JDK's {@link java.nio.channels.SocketChannel}
     * instead of the native layer's sockets (vsock always uses the native layer). For a short-lived
     * process whose connection only platform threads read and write, such as the command line's
     * {@code exec}: the process then never binds a C function, which saves it tens of milliseconds
     * of start-up. The connection behaves the same, except that:
     * <ul>
     *   <li>a read or write limit that passes also closes the connection;</li>
     *   <li>it has no {@link Connection#descriptor()};</li>
     *   <li>a virtual thread that blocks on it starts the JDK's poller threads, which hold up the
     *       JVM's exit by up to 300 ms (the native layer's pollers do not);</li>
     *   <li>when the dial fails, it is tried once more through the native layer, which says why
     *       (the errno, as an {@link io.vsockexec.nativeio.ErrnoException}).</li>
     * </ul>
     */
    public DialOptions jdkChannel(boolean useJdkChannel) {
        return new DialOptions(handshakeTimeout, useJdkChannel);
    }

    /** Whether Unix, TCP and hybrid endpoints are dialed with the JDK's channels. */
    public boolean jdkChannel() {
        return jdkChannel;
    }

    @Override
    public String toString() {
        return "DialOptions[handshakeTimeout=" + handshakeTimeout + ", jdkChannel=" + jdkChannel + "]";
    }
}
