package io.vsockexec.vm.vhost;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.SharedMemory;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One front-end's connection, served until it closes: reads each vhost-user message, acts on it
 * at once and replies. The front-end (a guest kernel, in user-mode Linux) blocks on every reply,
 * so no handler waits for anything but this socket.
 *
 * <p>A message that breaks the protocol (an unknown request, a wrong size, a missing or extra
 * descriptor, a ring outside guest memory) is answered with a failure where the front-end asked
 * for an acknowledgement, and ends the session; the device is detached and every mapping and
 * descriptor the session received is released.
 */
public final class VhostUserSession {
    /** VIRTIO_F_VERSION_1. */
    public static final long F_VERSION_1 = 1L << 32;
    /** The vhost-user feature bit that says protocol features can be negotiated. */
    public static final long F_PROTOCOL_FEATURES = 1L << 30;
    static final int PROTOCOL_F_REPLY_ACK = 3;
    static final int PROTOCOL_F_BACKEND_REQ = 5;
    static final int PROTOCOL_F_CONFIG = 9;
    /** The protocol features offered: acknowledgements, the back-end channel and the config space. */
    static final long PROTOCOL_FEATURES = 1L << PROTOCOL_F_REPLY_ACK | 1L << PROTOCOL_F_BACKEND_REQ
            | 1L << PROTOCOL_F_CONFIG;
    static final int MAX_REGIONS = 8;
    static final int MAX_CONFIG = 256;
    private static final Log LOG = Log.process();

    private final VhostChannel channel;
    private final VirtioDevice device;
    private final Vring[] vrings;
    private final List<Kicker> kickers = new ArrayList<>();
    private GuestMemory memory;
    private Descriptor backendChannel;
    private long protocolFeatures;

    /** A session on the front-end's connection {@code socket}, serving {@code device}; it owns the socket. */
    public VhostUserSession(Descriptor socket, VirtioDevice device) {
        this.channel = new VhostChannel(socket);
        this.device = device;
        this.vrings = new Vring[device.queueCount()];
        for (int i = 0; i < vrings.length; i++) {
            vrings[i] = new Vring(i);
        }
    }

    /**
     * Serves the front-end until it disconnects or breaks the protocol, then releases everything.
     *
     * @return null at a clean end (the front-end closed the connection), else why it ended
     */
    public String serve() {
        device.attach(vrings);
        try {
            while (true) {
                VhostMessage m;
                try {
                    m = channel.read();
                } catch (EOFException closed) {
                    return null;
                }
                handleOrRefuse(m);
            }
        } catch (VhostProtocolException e) {
            LOG.warning("vhost-user front-end broke the protocol: " + e.getMessage());
            return e.getMessage();
        } catch (IOException | RuntimeException e) {
            LOG.debug(() -> "vhost-user session ended", e);
            return String.valueOf(e.getMessage());
        } finally {
            release();
        }
    }

    private void handleOrRefuse(VhostMessage m) throws IOException {
        try {
            handle(m);
        } catch (VhostProtocolException | GuestMemoryException | RuntimeException e) {
            m.closeDescriptors();
            VhostRequest r = VhostRequest.of(m.code());
            if (m.needsReply() && (r == null || !r.hasReply())) {
                channel.send(VhostMessage.replyU64(m.code(), 1));
            }
            throw e instanceof VhostProtocolException p ? p
                    : new VhostProtocolException("request " + m.code() + ": " + e.getMessage());
        }
    }

    private void handle(VhostMessage m) throws IOException, GuestMemoryException {
        VhostRequest r = VhostRequest.of(m.code());
        if (r == null) {
            throw new VhostProtocolException("unknown request " + m.code());
        }
        m.checkDescriptors(r);
        switch (r) {
            case GET_FEATURES -> channel.send(VhostMessage.replyU64(m.code(), offeredFeatures()));
            case SET_FEATURES -> setFeatures(m.u64());
            case SET_OWNER -> m.requireSize(0);
            case RESET_OWNER -> reset();
            case SET_MEM_TABLE -> setMemTable(m);
            case SET_VRING_NUM -> setVringNum(m);
            case SET_VRING_ADDR -> setVringAddr(m);
            case SET_VRING_BASE -> setVringBase(m);
            case GET_VRING_BASE -> getVringBase(m);
            case SET_VRING_KICK -> setVringKick(m);
            case SET_VRING_CALL -> setVringCall(m);
            case SET_VRING_ERR -> m.closeDescriptors(); // errors are never signalled by this back-end
            case GET_PROTOCOL_FEATURES -> channel.send(VhostMessage.replyU64(m.code(), PROTOCOL_FEATURES));
            case SET_PROTOCOL_FEATURES -> setProtocolFeatures(m.u64());
            case GET_QUEUE_NUM -> channel.send(VhostMessage.replyU64(m.code(), vrings.length));
            case SET_VRING_ENABLE -> setVringEnable(m);
            case SET_BACKEND_REQ_FD -> setBackendChannel(m);
            case GET_CONFIG -> getConfig(m);
            case SET_CONFIG -> m.requireAtLeast(12); // the device's config space is read-only
            case SET_LOG_BASE, SET_LOG_FD -> throw new VhostProtocolException(r + " without dirty-page logging");
        }
        if (!r.hasReply() && m.needsReply() && replyAck()) {
            channel.send(VhostMessage.replyU64(m.code(), 0));
        }
    }

    private long offeredFeatures() {
        return device.features() | F_PROTOCOL_FEATURES;
    }

    private boolean replyAck() {
        return (protocolFeatures & 1L << PROTOCOL_F_REPLY_ACK) != 0;
    }

    private void setFeatures(long features) throws VhostProtocolException {
        long unknown = features & ~offeredFeatures();
        if (unknown != 0) {
            throw new VhostProtocolException("SET_FEATURES acknowledges features never offered: 0x"
                    + Long.toHexString(unknown));
        }
        if ((features & F_PROTOCOL_FEATURES) == 0) {
            // Without protocol features there is no SET_VRING_ENABLE: rings are enabled at once.
            for (Vring v : vrings) {
                withLock(v, () -> v.setEnabled(true));
            }
        }
    }

    private void setProtocolFeatures(long features) throws VhostProtocolException {
        if ((features & ~PROTOCOL_FEATURES) != 0) {
            throw new VhostProtocolException("SET_PROTOCOL_FEATURES asks for features never offered: 0x"
                    + Long.toHexString(features & ~PROTOCOL_FEATURES));
        }
        protocolFeatures = features;
    }

    private void setMemTable(VhostMessage m) throws IOException, GuestMemoryException {
        ByteBuffer b = m.body();
        m.requireAtLeast(8);
        int count = b.getInt();
        b.getInt(); // padding
        if (count < 1 || count > MAX_REGIONS || m.payload().length < 8 + 32 * count) {
            throw new VhostProtocolException("SET_MEM_TABLE: " + count + " regions in a " + m.payload().length
                    + "-byte payload");
        }
        if (m.descriptors().size() != count) {
            throw new VhostProtocolException("SET_MEM_TABLE: " + count + " regions but " + m.descriptors().size()
                    + " descriptors");
        }
        List<MemoryRegion> regions = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                regions.add(map(b.getLong(), b.getLong(), b.getLong(), b.getLong(), m.descriptors().get(i)));
            }
        } catch (IOException | RuntimeException e) {
            regions.forEach(r -> r.mapping().close());
            throw e;
        } finally {
            m.closeDescriptors(); // the mappings keep the files
        }
        GuestMemory old = memory;
        memory = new GuestMemory(regions);
        for (Vring v : vrings) {
            v.lock();
            try {
                v.memoryChanged(memory);
            } finally {
                v.unlock();
            }
        }
        if (old != null) {
            old.close();
        }
    }

    private static MemoryRegion map(long guest, long size, long user, long offset, Descriptor file)
            throws IOException {
        if (size <= 0 || offset < 0 || offset > Long.MAX_VALUE - size) {
            throw new VhostProtocolException("SET_MEM_TABLE: a region of size " + size + " at offset " + offset);
        }
        // The region starts at its offset in the file; mapping from 0 keeps the offset page-aligned.
        return new MemoryRegion(guest, size, user, offset, SharedMemory.map(file, offset + size));
    }

    private void setVringNum(VhostMessage m) throws IOException, GuestMemoryException {
        m.requireSize(8);
        ByteBuffer b = m.body();
        Vring v = vring(b.getInt());
        int num = b.getInt();
        if (num <= 0 || num > Virtqueue.MAX_SIZE || Integer.bitCount(num) != 1) {
            throw new VhostProtocolException("SET_VRING_NUM: queue size " + num + " is not a power of two up to "
                    + Virtqueue.MAX_SIZE);
        }
        configure(v, () -> v.setSize(num));
    }

    private void setVringAddr(VhostMessage m) throws IOException, GuestMemoryException {
        m.requireSize(40);
        ByteBuffer b = m.body();
        Vring v = vring(b.getInt());
        b.getInt(); // flags: only logging, which is not offered
        long desc = b.getLong();
        long used = b.getLong();
        long avail = b.getLong();
        configure(v, () -> v.setAddresses(desc, avail, used));
    }

    private void setVringBase(VhostMessage m) throws IOException, GuestMemoryException {
        m.requireSize(8);
        ByteBuffer b = m.body();
        Vring v = vring(b.getInt());
        int base = b.getInt();
        configure(v, () -> v.setBase(base & 0xffff));
    }

    private void getVringBase(VhostMessage m) throws IOException {
        m.requireSize(8);
        int index = m.body().getInt();
        Vring v = vring(index);
        stopKicker(index);
        v.lock();
        int base;
        try {
            base = v.stop();
        } finally {
            v.unlock();
        }
        channel.send(VhostMessage.reply(m.code(), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(index).putInt(base).array()));
    }

    private void setVringKick(VhostMessage m) throws IOException {
        long value = m.u64();
        int index = (int) (value & 0xff);
        vring(index);
        stopKicker(index);
        if ((value & VhostMessage.VRING_NO_FD) == 0) {
            kickers.add(Kicker.start(index, m.descriptors().getFirst(), device));
        }
    }

    private void setVringCall(VhostMessage m) throws IOException {
        long value = m.u64();
        Vring v = vring((int) (value & 0xff));
        Descriptor call = (value & VhostMessage.VRING_NO_FD) == 0 ? m.descriptors().getFirst() : null;
        withLock(v, () -> v.setCall(call));
    }

    private void setVringEnable(VhostMessage m) throws IOException, GuestMemoryException {
        m.requireSize(8);
        ByteBuffer b = m.body();
        Vring v = vring(b.getInt());
        int enable = b.getInt();
        if (enable != 0 && enable != 1) {
            throw new VhostProtocolException("SET_VRING_ENABLE: " + enable + " is neither 0 nor 1");
        }
        configure(v, () -> v.setEnabled(enable == 1));
        if (enable == 1) {
            device.kicked(v.index()); // buffers may have been made available before the ring was enabled
        }
    }

    private void setBackendChannel(VhostMessage m) {
        if (backendChannel != null) {
            backendChannel.close();
        }
        // Kept open for the session: the front-end treats its closing as the back-end going away.
        backendChannel = m.descriptors().getFirst();
    }

    private void getConfig(VhostMessage m) throws IOException {
        m.requireAtLeast(12);
        ByteBuffer b = m.body();
        int offset = b.getInt();
        int size = b.getInt();
        int flags = b.getInt();
        if (size < 0 || size > MAX_CONFIG || offset < 0 || offset > MAX_CONFIG - size
                || m.payload().length != 12 + size) {
            throw new VhostProtocolException("GET_CONFIG: " + size + " bytes at offset " + offset + " in a "
                    + m.payload().length + "-byte payload");
        }
        byte[] config = device.config();
        ByteBuffer reply = ByteBuffer.allocate(12 + size).order(ByteOrder.LITTLE_ENDIAN);
        reply.putInt(offset).putInt(size).putInt(flags);
        for (int i = 0; i < size; i++) {
            reply.put(offset + i < config.length ? config[offset + i] : 0);
        }
        channel.send(VhostMessage.reply(m.code(), reply.array()));
    }

    private void reset() {
        device.detach();
        for (int i = 0; i < vrings.length; i++) {
            stopKicker(i);
            Vring v = vrings[i];
            withLock(v, () -> {
                v.stop();
                v.close();
            });
        }
        device.attach(vrings);
    }

    // ------------------------------------------------------------ helpers

    private Vring vring(int index) throws VhostProtocolException {
        if (index < 0 || index >= vrings.length) {
            throw new VhostProtocolException("queue " + index + " does not exist; the device has " + vrings.length);
        }
        return vrings[index];
    }

    /** Applies a change to a ring and builds it if it is now complete. */
    private void configure(Vring v, Runnable change) throws GuestMemoryException {
        v.lock();
        try {
            change.run();
            v.build(memory);
        } finally {
            v.unlock();
        }
    }

    private static void withLock(Vring v, Runnable change) {
        v.lock();
        try {
            change.run();
        } finally {
            v.unlock();
        }
    }

    private void stopKicker(int index) {
        kickers.removeIf(k -> {
            if (k.index() == index) {
                k.stop();
                return true;
            }
            return false;
        });
    }

    private void release() {
        for (Kicker k : kickers) {
            k.stop();
        }
        kickers.clear();
        device.detach();
        for (Vring v : vrings) {
            withLock(v, v::close);
        }
        if (memory != null) {
            memory.close();
            memory = null;
        }
        if (backendChannel != null) {
            backendChannel.close();
        }
        channel.close();
    }
}
