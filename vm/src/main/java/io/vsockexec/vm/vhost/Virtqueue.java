package io.vsockexec.vm.vhost;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A split virtqueue as the device sees it (virtio 1.x, section 2.7): the descriptor table, the
 * available ring the driver fills and the used ring the device fills, all in guest memory.
 *
 * <p>Everything the driver wrote is untrusted: a head index outside the table, a chain that
 * loops or runs past the table, a buffer outside guest memory, an indirect descriptor (not
 * negotiated) or a readable buffer after a writable one make that chain malformed
 * ({@link Chain.Malformed}); an available index that claims more entries than the ring holds breaks
 * the queue ({@link GuestMemoryException}). Neither reads or writes outside guest memory.
 *
 * <p>Not thread-safe: the device serializes the use of each queue.
 */
public final class Virtqueue {
    /** The largest queue a split ring may have. */
    public static final int MAX_SIZE = 32768;
    static final int DESC_SIZE = 16;
    static final int F_NEXT = 1;
    static final int F_WRITE = 2;
    static final int F_INDIRECT = 4;
    /** Available ring flag: the driver asks not to be interrupted. */
    static final int AVAIL_F_NO_INTERRUPT = 1;

    private final int size;
    private final MemorySegment descriptors;
    private final MemorySegment available;
    private final MemorySegment used;
    private final GuestMemory memory;
    private int nextAvailable;
    private int nextUsed;

    /**
     * A queue of {@code size} entries with its rings at the given front-end addresses.
     *
     * @param nextAvailable the first available index to take (SET_VRING_BASE)
     * @throws GuestMemoryException if a ring lies outside the memory regions or is misaligned
     */
    public static Virtqueue of(GuestMemory memory, int size, long descAddress, long availAddress, long usedAddress,
            int nextAvailable) throws GuestMemoryException {
        if (size <= 0 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new GuestMemoryException("queue size " + size + " is not a power of two up to " + MAX_SIZE);
        }
        if ((descAddress & 15) != 0 || (availAddress & 1) != 0 || (usedAddress & 3) != 0) {
            throw new GuestMemoryException("misaligned ring: descriptors 0x" + Long.toHexString(descAddress)
                    + ", available 0x" + Long.toHexString(availAddress) + ", used 0x" + Long.toHexString(usedAddress));
        }
        MemorySegment desc = memory.user(descAddress, (long) DESC_SIZE * size);
        MemorySegment avail = memory.user(availAddress, 6 + 2L * size);
        MemorySegment used = memory.user(usedAddress, 6 + 8L * size);
        return new Virtqueue(memory, size, desc, avail, used, nextAvailable & 0xffff);
    }

    private Virtqueue(GuestMemory memory, int size, MemorySegment desc, MemorySegment avail, MemorySegment used,
            int nextAvailable) {
        this.memory = memory;
        this.size = size;
        this.descriptors = desc;
        this.available = avail;
        this.used = used;
        this.nextAvailable = nextAvailable;
        // The used ring continues where the device left it; a fresh queue starts where the driver does.
        this.nextUsed = Short.toUnsignedInt(used.get(JAVA_SHORT_UNALIGNED, 2));
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    /** The next available index the device will take: what GET_VRING_BASE reports. */
    public int nextAvailable() {
        return nextAvailable;
    }

    /**
     * Takes the next chain the driver made available.
     *
     * @return a {@link DescriptorChain}, a {@link Chain.Malformed} chain, or null if there is none
     * @throws GuestMemoryException if the ring itself is broken (the queue cannot go on)
     */
    public Chain next() throws GuestMemoryException {
        int availableIndex = Short.toUnsignedInt(available.get(JAVA_SHORT_UNALIGNED, 2));
        int pending = (availableIndex - nextAvailable) & 0xffff;
        if (pending == 0) {
            return null;
        }
        if (pending > size) {
            throw new GuestMemoryException("the available index " + availableIndex + " is " + pending
                    + " entries ahead of the device in a queue of " + size);
        }
        VarHandle.acquireFence(); // the ring entry and the descriptors were written before the index
        int head = Short.toUnsignedInt(available.get(JAVA_SHORT_UNALIGNED, 4 + 2L * (nextAvailable % size)));
        nextAvailable = (nextAvailable + 1) & 0xffff;
        if (head >= size) {
            throw new GuestMemoryException("head descriptor " + head + " is outside a queue of " + size);
        }
        return walk(head);
    }

    private Chain walk(int head) {
        List<MemorySegment> readable = new ArrayList<>(2);
        List<MemorySegment> writable = new ArrayList<>(1);
        int index = head;
        for (int seen = 0; ; seen++) {
            if (seen == size) {
                return new Chain.Malformed(head, "the chain loops or is longer than the queue");
            }
            long at = (long) DESC_SIZE * index;
            long address = descriptors.get(JAVA_LONG_UNALIGNED, at);
            long length = Integer.toUnsignedLong(descriptors.get(JAVA_INT_UNALIGNED, at + 8));
            int flags = Short.toUnsignedInt(descriptors.get(JAVA_SHORT_UNALIGNED, at + 12));
            int next = Short.toUnsignedInt(descriptors.get(JAVA_SHORT_UNALIGNED, at + 14));
            if ((flags & F_INDIRECT) != 0) {
                return new Chain.Malformed(head, "descriptor " + index + " is indirect, which was not negotiated");
            }
            boolean write = (flags & F_WRITE) != 0;
            if (!write && !writable.isEmpty()) {
                return new Chain.Malformed(head, "descriptor " + index + " is readable but follows a writable one");
            }
            try {
                (write ? writable : readable).add(memory.guest(address, length));
            } catch (GuestMemoryException e) {
                return new Chain.Malformed(head, "descriptor " + index + ": " + e.getMessage());
            }
            if ((flags & F_NEXT) == 0) {
                return new DescriptorChain(head, readable, writable);
            }
            if (next >= size) {
                return new Chain.Malformed(head, "descriptor " + index + " links to " + next + ", outside the queue");
            }
            index = next;
        }
    }

    /** Returns chain {@code head} to the driver, {@code written} bytes written into it. */
    public void putUsed(int head, int written) {
        long slot = 4 + 8L * (nextUsed % size);
        used.set(JAVA_INT_UNALIGNED, slot, head);
        used.set(JAVA_INT_UNALIGNED, slot + 4, written);
        nextUsed = (nextUsed + 1) & 0xffff;
        VarHandle.releaseFence(); // the element before the index that publishes it
        used.set(JAVA_SHORT_UNALIGNED, 2, (short) nextUsed);
    }

    /** True unless the driver asked not to be interrupted for this queue. */
    public boolean wantsInterrupt() {
        VarHandle.fullFence(); // the used index is visible before the driver's flags are read
        return (available.get(JAVA_SHORT_UNALIGNED, 0) & AVAIL_F_NO_INTERRUPT) == 0;
    }
}
