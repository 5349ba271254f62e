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
