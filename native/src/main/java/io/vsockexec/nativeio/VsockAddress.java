package io.vsockexec.nativeio;

import java.net.SocketAddress;

/**
 * An AF_VSOCK address: a context id (CID) naming a VM or the host, and a port.
 * Printed as {@code vsock://CID:PORT}. Both numbers are unsigned 32-bit values held in an int.
 */
public final class VsockAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    /** Any CID: listen on every CID of this machine. */
    public static final int CID_ANY = 0xFFFFFFFF;
    /** The hypervisor. */
    public static final int CID_HYPERVISOR = 0;
    /** This machine, through the loopback transport. */
    public static final int CID_LOCAL = 1;
    /** The host, seen from a guest. */
    public static final int CID_HOST = 2;
    /** Any port: let the kernel pick one when binding. */
    public static final int PORT_ANY = 0xFFFFFFFF;

    private final int cid;
    private final int port;

    private VsockAddress(int cid, int port) {
        this.cid = cid;
        this.port = port;
    }

    /** The address of {@code port} on {@code cid} (unsigned 32-bit values). */
    public static VsockAddress of(int cid, int port) {
        return new VsockAddress(cid, port);
    }

    /**
     * The address from values given as longs, checked to be unsigned 32-bit numbers.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static VsockAddress of(long cid, long port) {
        return new VsockAddress(checkU32("CID", cid), checkU32("port", port));
    }

    /** The address for listening on {@code port} on every CID of this machine. */
    public static VsockAddress anyCid(int port) {
        return new VsockAddress(CID_ANY, port);
    }

    private static int checkU32(String what, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(what + " must be between 0 and 4294967295: " + value);
        }
        return (int) value;
    }

    /** The context id, as an unsigned value in an int. */
    public int cid() {
        return cid;
    }

    /** The port, as an unsigned value in an int. */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VsockAddress a && a.cid == cid && a.port == port;
    }

    @Override
    public int hashCode() {
        return 31 * cid + port;
    }

    /** {@code vsock://CID:PORT}, with {@code any} for {@link #CID_ANY}. */
    @Override
    public String toString() {
        String c = cid == CID_ANY ? "any" : Integer.toUnsignedString(cid);
        return "vsock://" + c + ":" + Integer.toUnsignedString(port);
    }
}
