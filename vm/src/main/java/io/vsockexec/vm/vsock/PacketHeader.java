package io.vsockexec.vm.vsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 44-byte header of every virtio-vsock packet, little-endian: source and destination CID
 * (64 bits) and port (32 bits), payload length, type, operation, flags, and the sender's credit
 * state (the receive buffer it allocated, and how many bytes it has forwarded from it).
 * Ports and counters are 32-bit unsigned values held in {@code int}s.
 */
record PacketHeader(long srcCid, long dstCid, int srcPort, int dstPort, int len, int type, VsockOp op, int flags,
        int bufAlloc, int fwdCnt) {
    static final int SIZE = 44;
    /** The only socket type offered: a stream. */
    static final int TYPE_STREAM = 1;
    /** SHUTDOWN flags: the sender will receive no more, send no more. */
    static final int SHUTDOWN_RCV = 1;
    static final int SHUTDOWN_SEND = 2;
    static final int SHUTDOWN_BOTH = SHUTDOWN_RCV | SHUTDOWN_SEND;

    /** Decodes a header from its 44 bytes; the operation of an unknown number is {@link VsockOp#INVALID}. */
    static PacketHeader decode(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long srcCid = in.getLong();
        long dstCid = in.getLong();
        int srcPort = in.getInt();
        int dstPort = in.getInt();
        int len = in.getInt();
        int type = Short.toUnsignedInt(in.getShort());
        VsockOp op = VsockOp.of(Short.toUnsignedInt(in.getShort()));
        return new PacketHeader(srcCid, dstCid, srcPort, dstPort, len, type, op, in.getInt(), in.getInt(), in.getInt());
    }

    /** The 44 bytes of this header. */
    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(srcCid).putLong(dstCid).putInt(srcPort).putInt(dstPort).putInt(len)
                .putShort((short) type).putShort((short) op.code()).putInt(flags).putInt(bufAlloc).putInt(fwdCnt);
        return out.array();
    }

    /** The payload length as the unsigned number it is. */
    long payloadLength() {
        return Integer.toUnsignedLong(len);
    }

    @Override
    public String toString() {
        return op + " " + srcCid + ":" + Integer.toUnsignedString(srcPort) + " -> " + dstCid + ":"
                + Integer.toUnsignedString(dstPort) + " len " + payloadLength() + " type " + type + " flags " + flags
                + " buf_alloc " + Integer.toUnsignedString(bufAlloc) + " fwd_cnt " + Integer.toUnsignedString(fwdCnt);
    }
}
