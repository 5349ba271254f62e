package io.vsockexec.transport;

import io.vsockexec.base.Durations;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A write could move no byte for the connection's {@linkplain Connection#stallTimeout(
 * io.vsockexec.base.Timeout) stall timeout}: the peer has read nothing for that long while data
 * waited. The stream may hold part of the write; treat the peer as gone.
 */
public final class PeerStalledException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient Duration stalled;

    PeerStalledException(Endpoint endpoint, Duration stalled) {
        super("write " + endpoint + ": the peer has read nothing for " + Durations.format(stalled));
        this.stalled = stalled;
    }

    /** How long the write waited without moving a byte. */
    public Duration stalled() {
        return stalled;
    }
}
