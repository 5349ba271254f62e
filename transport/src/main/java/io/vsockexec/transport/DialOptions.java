package io.vsockexec.transport;

import io.vsockexec.base.Timeout;
import java.time.Duration;
import java.util.Objects;

/** How to dial. Immutable; each setter returns a modified copy. */
public final class DialOptions {
    /** The default limit for a hybrid VM's reply to {@code CONNECT}. */
    public static final Timeout DEFAULT_HANDSHAKE_TIMEOUT = Timeout.of(Duration.ofSeconds(5));
    private static final DialOptions DEFAULTS = new DialOptions(DEFAULT_HANDSHAKE_TIMEOUT);

    private final Timeout handshakeTimeout;

    private DialOptions(Timeout handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    /** The defaults: a five-second hybrid handshake timeout. */
    public static DialOptions defaults() {
        return DEFAULTS;
    }

    /**
     * How long a hybrid VM may take to answer {@code CONNECT PORT}; the earlier of this and the
     * dial deadline applies. {@link Timeout#NONE} leaves only the dial deadline.
     */
    public DialOptions handshakeTimeout(Timeout timeout) {
        return new DialOptions(Objects.requireNonNull(timeout, "timeout"));
    }

    /** The hybrid handshake timeout. */
    public Timeout handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String toString() {
        return "DialOptions[handshakeTimeout=" + handshakeTimeout + "]";
    }
}
