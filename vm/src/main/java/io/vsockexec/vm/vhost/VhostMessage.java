package io.vsockexec.vm.vhost;

import io.vsockexec.nativeio.Descriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One message from the front-end: its request number, flags, payload (little-endian, as on
 * every platform this runs on) and the descriptors that came with it, owned by whoever handles
 * the message.
 */
record VhostMessage(int code, int flags, byte[] payload, List<Descriptor> descriptors) {
    /** The size of the header: request, flags and payload size, 32 bits each. */
    static final int HEADER_SIZE = 12;
    /** The version in the low two bits of every message's flags. */
    static final int VERSION = 0x1;
    static final int VERSION_MASK = 0x3;
    /** Set on every reply from the back-end. */
    static final int FLAG_REPLY = 0x4;
    /** The front-end asks for an acknowledgement (REPLY_ACK). */
    static final int FLAG_NEED_REPLY = 0x8;
    /** In a SET_VRING_KICK, _CALL or _ERR: no descriptor comes with the message. */
    static final long VRING_NO_FD = 0x100;

    VhostMessage {
        descriptors = List.copyOf(descriptors);
    }

    /** The payload, for reading its fields. */
    ByteBuffer body() {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean needsReply() {
        return (flags & FLAG_NEED_REPLY) != 0;
    }

    /** The payload as one 64-bit number. */
    long u64() throws VhostProtocolException {
        requireSize(8);
        return body().getLong();
    }

    /** Checks that the payload is exactly {@code size} bytes. */
    void requireSize(int size) throws VhostProtocolException {
        if (payload.length != size) {
            throw new VhostProtocolException(name() + ": payload of " + payload.length + " bytes, expected " + size);
        }
    }

    /** Checks that the payload is at least {@code size} bytes. */
    void requireAtLeast(int size) throws VhostProtocolException {
        if (payload.length < size) {
            throw new VhostProtocolException(name() + ": payload of " + payload.length + " bytes, expected at least "
                    + size);
        }
    }

    /** The request's name, or its number if unknown. */
    String name() {
        VhostRequest r = VhostRequest.of(code);
        return r == null ? "request " + code : r.name();
    }

    /** Checks that descriptors come with exactly the requests that carry them, as many as they carry. */
    void checkDescriptors(VhostRequest r) throws VhostProtocolException {
        int count = descriptors.size();
        boolean ok = switch (r) {
            case SET_MEM_TABLE -> count >= 1;
            case SET_VRING_KICK, SET_VRING_CALL, SET_VRING_ERR -> count == (noDescriptorFlag() ? 0 : 1);
            case SET_BACKEND_REQ_FD -> count == 1;
            default -> count == 0;
        };
        if (!ok) {
            throw new VhostProtocolException(r + " came with " + count + " descriptors");
        }
    }

    private boolean noDescriptorFlag() {
        return payload.length == 8 && (body().getLong() & VRING_NO_FD) != 0;
    }

    /** Closes descriptors nobody took. */
    void closeDescriptors() {
        descriptors.forEach(Descriptor::close);
    }

    /** A reply to request {@code code}: flags exactly version and reply, as front-ends check. */
    static byte[] reply(int code, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(code).putInt(VERSION | FLAG_REPLY).putInt(payload.length).put(payload);
        return b.array();
    }

    /** A reply carrying one 64-bit number. */
    static byte[] replyU64(int code, long value) {
        return reply(code, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }
}
