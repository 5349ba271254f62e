package io.vsockexec.vm.vhost;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.DescriptorPassing;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The vhost-user socket, message by message: a header (request, flags, payload size; 32 bits
 * each, little-endian), a payload of at most {@link #MAX_PAYLOAD} bytes, and the descriptors
 * sent along with them. A message may wait as long as the front-end likes to begin, but once
 * begun the rest must follow within {@link #REST_OF_MESSAGE}.
 */
final class VhostChannel {
    /** The largest payload accepted: a memory table of 8 regions is 264 bytes, a config 12 + 256. */
    static final int MAX_PAYLOAD = 4096;
    /** Once a message has begun, the rest of it must follow within this; replies too must go out within it. */
    static final Duration REST_OF_MESSAGE = Duration.ofSeconds(10);

    private final Descriptor socket;

    VhostChannel(Descriptor socket) {
        this.socket = socket;
    }

    /**
     * The next message.
     *
     * @throws EOFException if the front-end closed the connection between messages
     * @throws VhostProtocolException for a wrong version, an oversized payload, too many
     *     descriptors, or a connection closed inside a message
     */
    VhostMessage read() throws IOException {
        List<Descriptor> fds = new ArrayList<>();
        try {
            byte[] header = new byte[VhostMessage.HEADER_SIZE];
            Deadline[] rest = {null};
            readFully(header, fds, rest);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int code = h.getInt();
            int flags = h.getInt();
            int size = h.getInt();
            if ((flags & VhostMessage.VERSION_MASK) != VhostMessage.VERSION) {
                throw new VhostProtocolException("message version " + (flags & VhostMessage.VERSION_MASK)
                        + " (flags 0x" + Integer.toHexString(flags) + "), expected " + VhostMessage.VERSION);
            }
            if (size < 0 || size > MAX_PAYLOAD) {
                throw new VhostProtocolException("request " + code + " claims a payload of "
                        + Integer.toUnsignedString(size) + " bytes, more than " + MAX_PAYLOAD);
            }
            byte[] payload = new byte[size];
            readFully(payload, fds, rest);
            return new VhostMessage(code, flags, payload, fds);
        } catch (IOException | RuntimeException e) {
            fds.forEach(Descriptor::close);
            throw e;
        }
    }

    /** Fills {@code b}; {@code rest[0]} is the message's deadline, set when its first byte arrives. */
    private void readFully(byte[] b, List<Descriptor> fds, Deadline[] rest) throws IOException {
        int done = 0;
        while (done < b.length) {
            DescriptorPassing.Received r;
            try {
                r = DescriptorPassing.receive(socket, b, done, b.length - done, "front-end descriptor",
                        rest[0] == null ? Deadline.none() : rest[0]);
            } catch (EOFException e) {
                if (rest[0] == null) {
                    throw e;
                }
                throw new VhostProtocolException("the front-end closed the connection in the middle of a message");
            }
            if (rest[0] == null) {
                rest[0] = Deadline.after(REST_OF_MESSAGE);
            }
            fds.addAll(r.descriptors());
            if (fds.size() > DescriptorPassing.MAX_DESCRIPTORS) {
                throw new VhostProtocolException("more than " + DescriptorPassing.MAX_DESCRIPTORS
                        + " descriptors with one message");
            }
            done += r.bytes();
        }
    }

    /** Sends a whole message. */
    void send(byte[] message) throws IOException {
        socket.write(message, 0, message.length, Deadline.after(REST_OF_MESSAGE));
    }

    /** Closes the connection. */
    void close() {
        socket.close();
    }
}
