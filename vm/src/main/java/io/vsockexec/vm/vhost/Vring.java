package io.vsockexec.vm.vhost;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.EventFd;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One of the device's queues as the front-end configured it (size, ring addresses, base,
 * notification descriptors, enabled), and the {@link Virtqueue} built from that once it is
 * complete. The device works on the queue between {@link #lock()} and {@link #unlock()}; the
 * control thread changes the configuration under the same lock, so a queue is never used half
 * configured or after the front-end stopped it.
 */
public final class Vring {
    private static final Log LOG = Log.process();
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    private final int index;
    private final ReentrantLock lock = new ReentrantLock();
    private int size;
    private long descAddress;
    private long availAddress;
    private long usedAddress;
    private boolean addressed;
    private int base;
    private boolean enabled;
    private Descriptor call;
    private Virtqueue queue;
    private String broken;

    Vring(int index) {
        this.index = index;
    }

    /** The queue's number. */
    public int index() {
        return index;
    }

    /** Takes the queue for a series of operations; configuration changes wait until {@link #unlock()}. */
    public void lock() {
        lock.lock();
    }

    /** Gives the queue back. */
    public void unlock() {
        lock.unlock();
    }

    /**
     * The next chain the driver made available, or null if there is none or the queue is not
     * in service (not configured, disabled, stopped or broken). Under the lock.
     */
    public Chain next() {
        if (queue == null || !enabled || broken != null) {
            return null;
        }
        try {
            return queue.next();
        } catch (GuestMemoryException | RuntimeException e) {
            breakQueue(e.getMessage());
            return null;
        }
    }

    /** True if the queue is in service. Under the lock. */
    public boolean ready() {
        return queue != null && enabled && broken == null;
    }

    /** Returns chain {@code head} with {@code written} bytes in it. Under the lock. */
    public void putUsed(int head, int written) {
        if (queue == null || broken != null) {
            return;
        }
        try {
            queue.putUsed(head, written);
        } catch (RuntimeException e) {
            breakQueue(e.getMessage());
        }
    }

    /** Interrupts the driver after {@link #putUsed}, unless it asked not to be. Under the lock. */
    public void signal() {
        Descriptor c = call;
        if (queue == null || c == null || broken != null) {
            return;
        }
        try {
            if (!queue.wantsInterrupt()) {
                return;
            }
            // Exactly 8 bytes: the driver reads the descriptor 8 bytes at a time. A full pipe
            // already holds a pending interrupt, so nothing is lost by writing none.
            int n = c.writeAvailable(ONE, 0, EventFd.VALUE_BYTES);
            if (n > 0 && n < EventFd.VALUE_BYTES) {
                c.write(ONE, n, EventFd.VALUE_BYTES - n, io.vsockexec.base.Deadline.none());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug(() -> "queue " + index + ": cannot interrupt the driver", e);
        }
    }

    /** A guest error in the ring: the queue stays out of service until the front-end sets it up again. */
    private void breakQueue(String reason) {
        broken = reason;
        LOG.warning("virtqueue " + index + " is broken and out of service: " + reason);
    }

    // ------------------------------------------------------------ configuration, by the control thread

    void setSize(int size) {
        this.size = size;
        rebuildLater();
    }

    void setAddresses(long desc, long avail, long used) {
        descAddress = desc;
        availAddress = avail;
        usedAddress = used;
        addressed = true;
        rebuildLater();
    }

    void setBase(int base) {
        this.base = base;
        rebuildLater();
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    void setCall(Descriptor call) {
        Descriptor old = this.call;
        this.call = call;
        if (old != null) {
            old.close();
        }
    }

    private void rebuildLater() {
        queue = null;
        broken = null;
    }

    /**
     * Builds the ring against {@code memory} if it is fully configured and not built yet.
     *
     * @throws GuestMemoryException if the configuration does not fit the guest's memory
     */
    void build(GuestMemory memory) throws GuestMemoryException {
        if (queue == null && addressed && size > 0 && memory != null) {
            queue = Virtqueue.of(memory, size, descAddress, availAddress, usedAddress, base);
            broken = null;
        }
    }

    /** Memory changed: the ring is built again against the new table on its next use. */
    void memoryChanged(GuestMemory memory) throws GuestMemoryException {
        if (queue != null) {
            base = queue.nextAvailable();
            queue = null;
        }
        build(memory);
    }

    /** Stops the ring (GET_VRING_BASE): the next available index to resume from. */
    int stop() {
        if (queue != null) {
            base = queue.nextAvailable();
        }
        queue = null;
        addressed = false;
        enabled = false;
        return base;
    }

    /** Releases the notification descriptor. */
    void close() {
        setCall(null);
        queue = null;
        enabled = false;
    }
}
