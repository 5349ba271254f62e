package io.vsockexec.transport;

import io.vsockexec.nativeio.VsockAddress;

/**
 * An AF_VSOCK endpoint, {@code vsock://CID:PORT}. Both numbers are unsigned 32-bit values, held in
 * longs so that they read as what they are.
 *
 * @param cid the context id: {@link #CID_ANY} to listen on every CID, {@link #CID_HOST} for the
 *     host as seen from a guest, or a guest's CID (3 and up)
 * @param port the port; {@link #PORT_ANY} when listening lets the kernel choose one
 */
public record VsockEndpoint(long cid, long port) implements Endpoint {
    /** The largest CID or port, 2<sup>32</sup>-1. */
    public static final long MAX = 0xFFFF_FFFFL;
    /** Every CID of this machine, for listening; written {@code any}. */
    public static final long CID_ANY = MAX;
    /** This machine through the vsock loopback transport; the name {@code local} parses to it. */
    public static final long CID_LOCAL = 1;
    /** The host, seen from a guest; the name {@code host} parses to it. */
    public static final long CID_HOST = 2;
    /** When listening, let the kernel pick a free port. */
    public static final long PORT_ANY = MAX;

    /**
     * @throws IllegalArgumentException if a number is outside 0 to 4294967295
     */
    public VsockEndpoint {
        checkU32("CID", cid);
        checkU32("port", port);
    }

    /** Rejects a CID or port that is not an unsigned 32-bit value; {@link HybridEndpoint} checks its port here too. */
    static void checkU32(String what, long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException(what + " must be 0 to " + MAX + ", is " + value);
        }
    }

    /** The endpoint for listening on {@code port} on every CID. */
    public static VsockEndpoint anyCid(long port) {
        return new VsockEndpoint(CID_ANY, port);
    }

    /** The same CID with another port, e.g. the one the kernel chose. */
    public VsockEndpoint withPort(long newPort) {
        return new VsockEndpoint(cid, newPort);
    }

    /** The socket address of this endpoint. */
    public VsockAddress address() {
        return VsockAddress.of(cid, port);
    }

    /** {@code vsock://CID:PORT}, with {@code any} for {@link #CID_ANY} and digits otherwise. */
    @Override
    public String toString() {
        return "vsock://" + (cid == CID_ANY ? "any" : Long.toString(cid)) + ":" + port;
    }
}
