package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.vsockexec.nativeio.VsockAddress;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The sockaddr structures of the three families this project uses, and their codecs. */
public final class Sockaddr {
    /**
     * {@code struct sockaddr_vm} from {@code <linux/vm_sockets.h>}: 16 bytes.
     * <pre>
     *  0      2      4            8           12    13       16
     *  +------+------+------------+-----------+-----+--------+
     *  |family|resvd |   port     |    cid    |flags| zero   |
     *  +------+------+------------+-----------+-----+--------+
     * </pre>
     */
    public static final StructLayout SOCKADDR_VM = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("svm_family"),
            ValueLayout.JAVA_SHORT.withName("svm_reserved1"),
            ValueLayout.JAVA_INT.withName("svm_port"),
            ValueLayout.JAVA_INT.withName("svm_cid"),
            ValueLayout.JAVA_BYTE.withName("svm_flags"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_BYTE).withName("svm_zero"));
    private static final long VM_FAMILY = StructOffsets.of(SOCKADDR_VM, "svm_family");
    private static final long VM_PORT = StructOffsets.of(SOCKADDR_VM, "svm_port");
    private static final long VM_CID = StructOffsets.of(SOCKADDR_VM, "svm_cid");

    /** {@code struct sockaddr_un}: a family and a 108-byte NUL-terminated path. */
    public static final int UNIX_PATH_MAX = 108;
    private static final long UN_SIZE = 2 + UNIX_PATH_MAX;
    /** {@code struct sockaddr_in} (16 bytes) and {@code sockaddr_in6} (28 bytes); port and address in network order. */
    private static final long IN_SIZE = 16;
    private static final long IN6_SIZE = 28;
    /** Big enough for any of them; used to receive addresses. */
    public static final long MAX_SIZE = IN6_SIZE < UN_SIZE ? UN_SIZE : IN6_SIZE;

    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Sockaddr() {}

    // instanceof rather than pattern switches: a pattern switch's bootstrap generates a class at
    // run time, milliseconds in a fresh process, and every listener and dial comes through here.

    /** The address family of {@code address}. */
    public static int family(SocketAddress address) {
        if (address instanceof VsockAddress) {
            return Libc.AF_VSOCK;
        }
        if (address instanceof UnixDomainSocketAddress) {
            return Libc.AF_UNIX;
        }
        if (address instanceof InetSocketAddress i) {
            return i.getAddress() instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        }
        throw new IllegalArgumentException("unsupported address type: " + address);
    }

    /**
     * Encodes {@code address} as its sockaddr, in a heap segment (for critical calls).
     *
     * @throws IllegalArgumentException for a Unix path too long for sockaddr_un, or an unresolved host
     */
    public static MemorySegment encode(SocketAddress address) {
        if (address instanceof VsockAddress v) {
            return vsock(v);
        }
        if (address instanceof UnixDomainSocketAddress u) {
            return unix(u);
        }
        if (address instanceof InetSocketAddress i) {
            return inet(i);
        }
        throw new IllegalArgumentException("unsupported address type: " + address);
    }

    private static MemorySegment vsock(VsockAddress a) {
        MemorySegment s = MemorySegment.ofArray(new byte[(int) SOCKADDR_VM.byteSize()]);
        s.set(JAVA_SHORT_UNALIGNED, VM_FAMILY, (short) Libc.AF_VSOCK);
        s.set(JAVA_INT_UNALIGNED, VM_PORT, a.port());
        s.set(JAVA_INT_UNALIGNED, VM_CID, a.cid());
        return s;
    }

    private static MemorySegment unix(UnixDomainSocketAddress a) {
        byte[] path = a.getPath().toString().getBytes(StandardCharsets.UTF_8);
        if (path.length == 0 || path.length >= UNIX_PATH_MAX) {
            throw new IllegalArgumentException("Unix socket path must be 1 to " + (UNIX_PATH_MAX - 1)
                    + " bytes long, is " + path.length + ": " + a.getPath());
        }
        byte[] raw = new byte[(int) UN_SIZE];
        // The address goes into the backing array before it is wrapped: MemorySegment.copy from an
        // array looks the array's type up with a pattern switch, whose bootstrap generates a class
        // (some milliseconds) in the process's first bind or connect, before the agent is ready.
        System.arraycopy(path, 0, raw, 2, path.length);
        MemorySegment s = MemorySegment.ofArray(raw);
        s.set(JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_UNIX);
        return s;
    }

    private static MemorySegment inet(InetSocketAddress a) {
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("host is not resolved: " + a.getHostString());
        }
        byte[] ip = a.getAddress().getAddress();
        boolean v6 = ip.length == 16;
        byte[] raw = new byte[(int) (v6 ? IN6_SIZE : IN_SIZE)];
        System.arraycopy(ip, 0, raw, v6 ? 8 : 4, ip.length); // as unix() does
        MemorySegment s = MemorySegment.ofArray(raw);
        s.set(JAVA_SHORT_UNALIGNED, 0, (short) (v6 ? Libc.AF_INET6 : Libc.AF_INET));
        s.set(NET_SHORT, 2, (short) a.getPort());
        if (v6) {
            s.set(JAVA_INT_UNALIGNED, 24, ((Inet6Address) a.getAddress()).getScopeId());
        }
        return s;
    }

    /** A buffer for receiving any sockaddr. */
    public static MemorySegment buffer() {
        return MemorySegment.ofArray(new byte[(int) MAX_SIZE]);
    }

    /** Decodes a sockaddr of {@code length} bytes received into {@code s}; null for an unnamed socket. */
    public static SocketAddress decode(MemorySegment s, int length) {
        if (length < 2) {
            return null;
        }
        int family = s.get(JAVA_SHORT_UNALIGNED, 0);
        return switch (family) {
            case Libc.AF_VSOCK -> VsockAddress.of(s.get(JAVA_INT_UNALIGNED, VM_CID), s.get(JAVA_INT_UNALIGNED, VM_PORT));
            case Libc.AF_UNIX -> decodeUnix(s, length);
            case Libc.AF_INET -> decodeInet(s, 4, 4);
            case Libc.AF_INET6 -> decodeInet(s, 8, 16);
            default -> null;
        };
    }

    private static SocketAddress decodeUnix(MemorySegment s, int length) {
        byte[] raw = s.asSlice(2, length - 2).toArray(JAVA_BYTE);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return end == 0 ? null : UnixDomainSocketAddress.of(new String(raw, 0, end, StandardCharsets.UTF_8));
    }

    private static SocketAddress decodeInet(MemorySegment s, int offset, int size) {
        int port = Short.toUnsignedInt(s.get(NET_SHORT, 2));
        try {
            InetAddress ip = InetAddress.getByAddress(s.asSlice(offset, size).toArray(JAVA_BYTE));
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

}
