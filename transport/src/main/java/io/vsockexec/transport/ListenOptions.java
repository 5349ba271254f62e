package io.vsockexec.transport;

import io.vsockexec.base.Log;
import io.vsockexec.base.Timeout;
import java.time.Duration;
import java.util.Objects;

/** How to listen. Immutable; each setter returns a modified copy. */
public final class ListenOptions {
    /** The default limit for a client of an emulated hybrid VM to send its {@code CONNECT} line. */
    public static final Timeout DEFAULT_HANDSHAKE_TIMEOUT = Timeout.of(Duration.ofSeconds(5));
    /** The default number of handshaken hybrid connections that may wait for accept on one port. */
    public static final int DEFAULT_BACKLOG = 64;
    /** The default number of hybrid handshakes in progress at once, per socket file. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 1024;
    private static final ListenOptions DEFAULTS = new ListenOptions(false, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_BACKLOG,
            DEFAULT_MAX_PENDING_HANDSHAKES, Log.process());

    private final boolean allowInsecureNonLoopbackTcp;
    private final Timeout handshakeTimeout;
    private final int backlog;
    private final int maxPendingHandshakes;
    private final Log log;

    private ListenOptions(boolean allowInsecureNonLoopbackTcp, Timeout handshakeTimeout, int backlog,
            int maxPendingHandshakes, Log log) {
        this.allowInsecureNonLoopbackTcp = allowInsecureNonLoopbackTcp;
        this.handshakeTimeout = handshakeTimeout;
        this.backlog = backlog;
        this.maxPendingHandshakes = maxPendingHandshakes;
        this.log = log;
    }

    /**
     * The defaults: TCP on loopback only, a five-second hybrid handshake timeout, a hybrid backlog
     * of 64, 1024 hybrid handshakes at once, notices to {@link Log#process()}.
     */
    public static ListenOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Allows listening for TCP on an address other than loopback. TCP carries no authentication:
     * whoever reaches the port can run commands, so this is for networks you control.
     */
    public ListenOptions allowInsecureNonLoopbackTcp(boolean allow) {
        return new ListenOptions(allow, handshakeTimeout, backlog, maxPendingHandshakes, log);
    }

    /** True if TCP may listen on a non-loopback address. */
    public boolean allowInsecureNonLoopbackTcp() {
        return allowInsecureNonLoopbackTcp;
    }

    /**
     * How long an emulated hybrid VM waits for a client's {@code CONNECT} line before closing the
     * connection. The first listener on a socket file sets it for every port on that file.
     *
     * @throws IllegalArgumentException for {@link Timeout#NONE}: a client that never speaks must not
     *     hold a handshake slot forever
     */
    public ListenOptions handshakeTimeout(Timeout timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNone()) {
            throw new IllegalArgumentException("the hybrid handshake timeout must be finite: " + timeout);
        }
        return new ListenOptions(allowInsecureNonLoopbackTcp, timeout, backlog, maxPendingHandshakes, log);
    }

    /** The emulated hybrid VM's handshake timeout. */
    public Timeout handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How many connections that completed the hybrid handshake may wait for {@code accept} on one
     * port; the emulator refuses more (by closing, as a VM does). Vsock, Unix and TCP listeners use
     * the kernel's backlog instead.
     *
     * @throws IllegalArgumentException if {@code backlog} is not positive
     */
    public ListenOptions backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, is " + backlog);
        }
        return new ListenOptions(allowInsecureNonLoopbackTcp, handshakeTimeout, backlog, maxPendingHandshakes, log);
    }

    /** The per-port backlog of an emulated hybrid VM. */
    public int backlog() {
        return backlog;
    }

    /**
     * How many clients of an emulated hybrid VM may be in the middle of their handshake at once,
     * per socket file. When that many are, a new connection sheds the oldest (closing it, as a VM
     * refuses), so clients that stall can delay others by at most their number, never lock them
     * out. The first listener on a socket file sets it for every port on that file.
     *
     * @throws IllegalArgumentException if {@code max} is not positive
     */
    public ListenOptions maxPendingHandshakes(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPendingHandshakes must be at least 1, is " + max);
        }
        return new ListenOptions(allowInsecureNonLoopbackTcp, handshakeTimeout, backlog, max, log);
    }

    /** The emulated hybrid VM's bound on handshakes in progress. */
    public int maxPendingHandshakes() {
        return maxPendingHandshakes;
    }

    /**
     * Where a listener reports trouble it works around (an accept that fails for want of
     * descriptors, once per episode: see {@link AcceptRetry}). The first listener on a hybrid
     * socket file sets it for every port on that file.
     */
    public ListenOptions log(Log log) {
        return new ListenOptions(allowInsecureNonLoopbackTcp, handshakeTimeout, backlog, maxPendingHandshakes,
                Objects.requireNonNull(log, "log"));
    }

    /** Where listeners report trouble. */
    public Log log() {
        return log;
    }

    @Override
    public String toString() {
        return "ListenOptions[allowInsecureNonLoopbackTcp=" + allowInsecureNonLoopbackTcp
                + ", handshakeTimeout=" + handshakeTimeout + ", backlog=" + backlog
                + ", maxPendingHandshakes=" + maxPendingHandshakes + "]";
    }
}
