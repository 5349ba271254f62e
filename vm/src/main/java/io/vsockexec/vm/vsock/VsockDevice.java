package io.vsockexec.vm.vsock;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.vm.vhost.Chain;
import io.vsockexec.vm.vhost.DescriptorChain;
import io.vsockexec.vm.vhost.VhostUserSession;
import io.vsockexec.vm.vhost.VirtioDevice;
import io.vsockexec.vm.vhost.Vring;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * A virtio-vsock device (virtio 1.2, section 5.10; device id 19) whose host side is a set of
 * Unix sockets: the guest's packets are taken from its transmit queue and dispatched to streams,
 * and streams send through {@link GuestRx}. Which host socket a stream has is the business of
 * {@link HostSide}.
 *
 * <p>The transmit queue is drained by one thread at a time and nothing it does waits: a packet
 * either changes a stream's state, queues bytes for the host (within the credit the device
 * granted), or queues a control packet back to the guest.
 */
public final class VsockDevice implements VirtioDevice {
    /** virtio's device id for vsock, as user-mode Linux's {@code virtio_uml.device=SOCKET:19} names it. */
    public static final int DEVICE_ID = 19;
    /** The host's CID, which the guest dials to reach the host. */
    public static final long HOST_CID = 2;
    /** The most streams at once; further connections are refused. */
    public static final int MAX_STREAMS = 1024;
    /** The largest payload a guest may send in one packet (Linux's VIRTIO_VSOCK_MAX_PKT_BUF_SIZE). */
    static final int MAX_PAYLOAD = 64 * 1024;
    static final int RX = 0;
    static final int TX = 1;
    static final int EVENT = 2;
    private static final int EVENT_TRANSPORT_RESET = 0;
    private static final Log LOG = Log.process();

    private final long guestCid;
    private final GuestRx rx = new GuestRx(this);
    private final ReentrantLock txLock = new ReentrantLock();
    private final Map<StreamKey, VsockStream> streams = new ConcurrentHashMap<>();
    private volatile Vring[] vrings;
    private volatile HostSide host;
    private int malformed;

    /**
     * A device whose guest has CID {@code guestCid}.
     *
     * @throws IllegalArgumentException for a CID the guest cannot have (0, 1, 2, or -1 and above 32 bits)
     */
    public VsockDevice(long guestCid) {
        if (guestCid <= HOST_CID || guestCid >= 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("guest CID must be between 3 and 4294967294, is " + guestCid);
        }
        this.guestCid = guestCid;
    }

    /** Where the device's host-side connections come from and go to. */
    void hostSide(HostSide side) {
        this.host = side;
    }

    /** The guest's CID, as its config space holds it. */
    public long guestCid() {
        return guestCid;
    }

    GuestRx rx() {
        return rx;
    }

    /** True while a front-end is attached. */
    public boolean attached() {
        return vrings != null;
    }

    /** The streams open now. */
    public int streamCount() {
        return streams.size();
    }

    @Override
    public long features() {
        return VhostUserSession.F_VERSION_1;
    }

    @Override
    public int queueCount() {
        return 3;
    }

    @Override
    public byte[] config() {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(guestCid).array();
    }

    @Override
    public void attach(Vring[] queues) {
        rx.attach(queues[RX]);
        vrings = queues;
    }

    @Override
    public void kicked(int index) {
        Vring[] v = vrings;
        if (v == null) {
            return;
        }
        switch (index) {
            case RX -> rx.refilled();
            case TX -> drainTransmitQueue(v[TX]);
            default -> { } // event buffers are taken only when there is an event
        }
    }

    @Override
    public void detach() {
        txLock.lock();
        try {
            vrings = null;
            rx.detach();
        } finally {
            txLock.unlock();
        }
        closeAll();
    }

    /** Ends every stream, as a guest that vanished would: each host socket is closed. */
    void closeAll() {
        for (VsockStream s : new ArrayList<>(streams.values())) {
            s.close(false);
        }
    }

    /**
     * Tells the guest that every connection is gone (the event queue's transport reset) and
     * closes every stream; for a back-end that stops while its guest runs.
     */
    public void resetTransport() {
        Vring[] v = vrings;
        closeAll();
        if (v == null) {
            return;
        }
        Vring events = v[EVENT];
        events.lock();
        try {
            Chain c = events.next();
            if (c instanceof DescriptorChain d && d.writableBytes() >= 4) {
                d.write(0, new byte[] {EVENT_TRANSPORT_RESET, 0, 0, 0}, 0, 4);
                events.putUsed(d.head(), 4);
                events.signal();
            } else if (c != null) {
                events.putUsed(c.head(), 0);
            }
        } finally {
            events.unlock();
        }
    }

    // ------------------------------------------------------------------ the transmit queue

    private record Packet(PacketHeader header, byte[] payload) {}

    /** Packets taken from the transmit queue, and the heads of every chain taken, to hand back. */
    private record Batch(List<Packet> packets, List<Integer> heads) {}

    private void drainTransmitQueue(Vring tx) {
        txLock.lock();
        try {
            while (vrings != null) {
                Batch batch = takeBatch(tx);
                if (batch.heads().isEmpty()) {
                    return;
                }
                for (Packet p : batch.packets()) {
                    dispatch(p.header(), p.payload());
                }
                // Handed back once handled: a driver that sees its buffer used knows the packet took effect.
                handBack(tx, batch.heads());
            }
        } catch (RuntimeException e) {
            LOG.warning("transmit queue: " + e);
        } finally {
            txLock.unlock();
        }
    }

    /** Takes up to 256 chains; their packets are copied out of guest memory. */
    private Batch takeBatch(Vring tx) {
        List<Packet> packets = new ArrayList<>();
        List<Integer> heads = new ArrayList<>();
        tx.lock();
        try {
            Chain c;
            while (heads.size() < 256 && (c = tx.next()) != null) {
                Packet p = c instanceof DescriptorChain d ? parse(d) : null;
                if (p == null) {
                    complain(c);
                } else {
                    packets.add(p);
                }
                heads.add(c.head());
            }
        } finally {
            tx.unlock();
        }
        return new Batch(packets, heads);
    }

    private static void handBack(Vring tx, List<Integer> heads) {
        tx.lock();
        try {
            for (int head : heads) {
                tx.putUsed(head, 0);
            }
            tx.signal();
        } finally {
            tx.unlock();
        }
    }

    /** The packet in a transmit chain, or null if the chain cannot hold one. */
    private static Packet parse(DescriptorChain d) {
        if (d.readableBytes() < PacketHeader.SIZE) {
            return null;
        }
        byte[] h = new byte[PacketHeader.SIZE];
        d.read(0, h, 0, h.length);
        PacketHeader header = PacketHeader.decode(h);
        long len = header.payloadLength();
        if (len > MAX_PAYLOAD || len > d.readableBytes() - PacketHeader.SIZE) {
            return null;
        }
        byte[] payload = new byte[(int) len];
        d.read(PacketHeader.SIZE, payload, 0, payload.length);
        return new Packet(header, payload);
    }

    private void complain(Chain c) {
        if (malformed++ % 1000 == 0) {
            LOG.warning("transmit queue: dropped a malformed packet (" + malformed + " so far): " + c);
        }
    }

    /** One packet from the guest. Never blocks. */
    private void dispatch(PacketHeader h, byte[] payload) {
        if (h.srcCid() != guestCid || h.dstCid() != HOST_CID) {
            // Not from this guest, or for a CID no one here serves: refuse, as a host with no such peer does.
            if (h.op() != VsockOp.RST && h.srcCid() == guestCid) {
                rx.reset(new StreamKey(h.dstPort(), h.srcPort()));
            }
            return;
        }
        StreamKey key = new StreamKey(h.dstPort(), h.srcPort());
        VsockStream s = streams.get(key);
        if (h.type() != PacketHeader.TYPE_STREAM) {
            refuse(key, h, s);
            return;
        }
        if (h.op() == VsockOp.REQUEST) {
            openFromGuest(key, h, s);
            return;
        }
        if (s == null) {
            if (h.op() != VsockOp.RST) {
                rx.reset(key);
            }
            return;
        }
        s.updatePeerCredit(h);
        switch (h.op()) {
            case RESPONSE -> s.guestAccepted();
            case RST -> s.close(false);
            case SHUTDOWN -> s.guestShutdown(h.flags());
            case RW -> {
                if (!s.fromGuest(payload)) {
                    LOG.debug(() -> key + ": the guest overran its credit or wrote after its shutdown; reset");
                }
            }
            case CREDIT_UPDATE -> { } // the credit itself was taken above
            case CREDIT_REQUEST -> s.announceCredit();
            default -> refuse(key, h, s);
        }
    }

    private void refuse(StreamKey key, PacketHeader h, VsockStream s) {
        if (s != null) {
            s.close(true);
        } else if (h.op() != VsockOp.RST) {
            rx.reset(key);
        }
    }

    /** A guest's connect to the host: a stream in the making while its host socket connects. */
    private void openFromGuest(StreamKey key, PacketHeader h, VsockStream existing) {
        HostSide side = host;
        if (existing != null || side == null || streams.size() >= MAX_STREAMS) {
            if (existing != null) {
                existing.close(true);
            } else {
                rx.reset(key);
            }
            return;
        }
        VsockStream s = new VsockStream(key, this, null);
        s.updatePeerCredit(h);
        streams.put(key, s);
        side.connectForGuest(s);
    }

    /**
     * Registers a host-initiated stream to guest port {@code guestPort} on a fresh host port, and
     * asks the guest to accept it; null if there is no guest, its driver is not loaded yet (it
     * could not answer), or there is no room.
     */
    VsockStream openFromHost(int guestPort, NativeSocket socket, IntSupplier ports) {
        if (vrings == null || !rx.ready() || streams.size() >= MAX_STREAMS) {
            return null;
        }
        for (int attempt = 0; attempt < MAX_STREAMS + 1; attempt++) {
            StreamKey key = new StreamKey(ports.getAsInt(), guestPort);
            VsockStream s = new VsockStream(key, this, socket);
            if (streams.putIfAbsent(key, s) == null) {
                rx.control(s, VsockOp.REQUEST, 0);
                return s;
            }
        }
        return null;
    }

    /** A stream closed: forget it. */
    void forget(VsockStream s) {
        streams.remove(s.key(), s);
    }
}
