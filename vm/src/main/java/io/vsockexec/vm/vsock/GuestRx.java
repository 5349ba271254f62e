package io.vsockexec.vm.vsock;

import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.vm.vhost.Chain;
import io.vsockexec.vm.vhost.DescriptorChain;
import io.vsockexec.vm.vhost.Vring;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The guest's receive queue, shared by every stream: control packets (RESPONSE, RST, SHUTDOWN,
 * credit) and data (RW) go into the buffers the driver made available, one packet per buffer.
 * A stream has at most one packet of each control kind waiting, so the queue of control packets
 * is bounded by the number of streams plus {@link #MAX_CONTROL} resets for unknown streams.
 *
 * <p>Control packets never wait: they are queued (a bounded number) and placed before any data,
 * as soon as there are buffers, so the queue's control thread and the transmit queue's thread
 * never block on the guest. A stream's data is placed by that stream's own thread, which waits
 * here while the guest has no free buffer. Each packet's header is built when it is placed, so it
 * carries the stream's credit state of that moment.
 */
final class GuestRx {
    /** Control packets waiting for buffers; beyond this, resets for unknown streams are dropped. */
    static final int MAX_CONTROL = 4096;
    private static final Log LOG = Log.process();

    /** A control packet: for a stream (header built at placement), or a reset for a stream that does not exist. */
    private record Control(VsockStream stream, StreamKey orphan, VsockOp op, int flags) {}

    private final VsockDevice device;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Control> pending = new ArrayDeque<>();
    private Vring vring;
    private int dropped;

    GuestRx(VsockDevice device) {
        this.device = device;
    }

    /** A front-end attached: its receive queue. */
    void attach(Vring queue) {
        lock.lock();
        try {
            vring = queue;
            pending.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The front-end went away: nothing is placed any more and waiting streams give up. */
    void detach() {
        lock.lock();
        try {
            vring = null;
            pending.clear();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True if the guest's driver has its receive queue in service: a packet sent now reaches it. */
    boolean ready() {
        lock.lock();
        try {
            if (vring == null) {
                return false;
            }
            vring.lock();
            try {
                return vring.ready();
            } finally {
                vring.unlock();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a control packet on {@code stream}; never blocks. */
    void control(VsockStream stream, VsockOp op, int flags) {
        enqueue(new Control(stream, null, op, flags));
    }

    /** Queues a reset for {@code key}, whether or not a stream of that key exists; never blocks. */
    void reset(StreamKey key) {
        enqueue(new Control(null, key, VsockOp.RST, 0));
    }

    private void enqueue(Control c) {
        lock.lock();
        try {
            if (vring == null) {
                return;
            }
            if (pending.size() >= MAX_CONTROL && c.stream() == null) {
                if (dropped++ % 1000 == 0) {
                    LOG.warning("the guest takes no packets; dropped " + dropped + " resets");
                }
                return;
            }
            pending.addLast(c);
            flush();
        } finally {
            lock.unlock();
        }
    }

    /** The driver made buffers available: place what waits, and wake the streams. */
    void refilled() {
        lock.lock();
        try {
            flush();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes streams waiting for buffers so that a closed one notices. */
    void wakeWaiters() {
        Guarded.run(lock, () -> room.signalAll());
    }

    /**
     * Places {@code len} bytes of {@code data} as RW packets on {@code stream}, waiting for
     * buffers as needed. The caller read no more than the guest's credit.
     *
     * @return false if the stream closed or the guest went away first
     */
    boolean data(VsockStream stream, byte[] data, int len) {
        lock.lock();
        try {
            int done = 0;
            while (done < len) {
                if (vring == null || !stream.isOpen()) {
                    return false;
                }
                flush();
                int n = pending.isEmpty() ? placeData(stream, data, done, len - done) : 0;
                if (n == 0) {
                    room.awaitUninterruptibly();
                }
                done += n;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** One RW packet into the next buffer: the payload bytes placed, 0 if there is no usable buffer. */
    private int placeData(VsockStream stream, byte[] data, int off, int len) {
        vring.lock();
        try {
            DescriptorChain chain = nextBuffer();
            if (chain == null) {
                return 0;
            }
            int n = (int) Math.min(len, chain.writableBytes() - PacketHeader.SIZE);
            byte[] header = stream.header(VsockOp.RW, 0, n).encode();
            chain.write(0, header, 0, header.length);
            chain.write(PacketHeader.SIZE, data, off, n);
            vring.putUsed(chain.head(), PacketHeader.SIZE + n);
            vring.signal();
            return n;
        } finally {
            vring.unlock();
        }
    }

    /** Places queued control packets while there are buffers. */
    private void flush() {
        if (vring == null || pending.isEmpty()) {
            return;
        }
        boolean placed = false;
        vring.lock();
        try {
            while (!pending.isEmpty()) {
                DescriptorChain chain = nextBuffer();
                if (chain == null) {
                    break;
                }
                byte[] header = headerOf(pending.pollFirst()).encode();
                chain.write(0, header, 0, header.length);
                vring.putUsed(chain.head(), PacketHeader.SIZE);
                placed = true;
            }
            if (placed) {
                vring.signal();
            }
        } finally {
            vring.unlock();
        }
    }

    private PacketHeader headerOf(Control c) {
        if (c.stream() != null) {
            return c.stream().header(c.op(), c.flags(), 0);
        }
        return new PacketHeader(VsockDevice.HOST_CID, device.guestCid(), c.orphan().hostPort(), c.orphan().guestPort(),
                0, PacketHeader.TYPE_STREAM, c.op(), c.flags(), 0, 0);
    }

    /**
     * The next buffer big enough for a header, under the vring's lock; buffers the driver got
     * wrong (malformed, or too small) are handed back empty. Null if there is none.
     */
    private DescriptorChain nextBuffer() {
        while (true) {
            Chain c = vring.next();
            if (c == null) {
                return null;
            }
            if (c instanceof DescriptorChain d && d.writableBytes() > PacketHeader.SIZE && d.readableBytes() == 0) {
                return d;
            }
            LOG.warning("receive queue: unusable buffer " + c);
            vring.putUsed(c.head(), 0);
        }
    }
}
