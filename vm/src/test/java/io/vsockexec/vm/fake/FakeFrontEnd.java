package io.vsockexec.vm.fake;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.DescriptorPassing;
import io.vsockexec.nativeio.EventFd;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.nativeio.SharedMemory;
import io.vsockexec.nativeio.SocketPair;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A vhost-user front-end and virtio driver written for the tests, independently of the
 * back-end's code: it speaks the protocol on a Unix socket as user-mode Linux does (the same
 * message sequence, a 72-byte memory table, REPLY_ACK on every request without a reply of its
 * own), keeps the guest's memory in a memfd and lays out split virtqueues in it.
 *
 * <p>Guest addresses start at {@link #GUEST_BASE}; the front-end's own ("user") addresses at
 * {@link #USER_BASE}, so a back-end that mixes them up fails.
 */
public final class FakeFrontEnd implements Closeable {
    public static final long GUEST_BASE = 0x4000_0000L;
    public static final long USER_BASE = 0x7f00_0000_0000L;
    public static final long MEMORY = 8L << 20;
    public static final int QUEUE_SIZE = 256;
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Descriptor socket;
    private final NativeSocket connection;
    private final Descriptor memoryFile;
    private final SharedMemory memory;
    private final List<Queue> queues = new ArrayList<>();
    private final List<Descriptor> owned = new ArrayList<>();
    private long next = 0x1000; // a bump allocator over guest memory; page 0 unused
    /** Transmitted packets are written round a ring of this size, reused once the device took them. */
    private static final long TX_ARENA = 2L << 20;
    /** Packets in the transmit queue at once: at most 64 KiB each, they never overrun the arena. */
    private static final int MAX_IN_FLIGHT = 16;
    private long txArena = -1;
    private long txNext;

    /** One virtqueue as the driver keeps it. */
    public final class Queue {
        final int index;
        final long desc;
        final long avail;
        final long used;
        final Descriptor kick;
        final Descriptor callRead;
        final Descriptor callWrite;
        int nextDesc;
        int availIdx;
        int usedSeen;

        Queue(int index) throws IOException {
            this.index = index;
            desc = alloc(16L * QUEUE_SIZE, 16);
            avail = alloc(6 + 2L * QUEUE_SIZE, 2);
            used = alloc(6 + 8L * QUEUE_SIZE, 4);
            kick = own(EventFd.create("kick " + index));
            Descriptor[] pair = SocketPair.create("call " + index);
            callRead = own(pair[0]);
            callWrite = own(pair[1]);
        }

        /** Writes descriptor {@code i}. */
        public void setDescriptor(int i, long address, int length, int flags, int next) {
            long at = desc + 16L * i;
            seg().set(JAVA_LONG_UNALIGNED, at, address);
            seg().set(JAVA_INT_UNALIGNED, at + 8, length);
            seg().set(JAVA_SHORT_UNALIGNED, at + 12, (short) flags);
            seg().set(JAVA_SHORT_UNALIGNED, at + 14, (short) next);
        }

        /** Makes chain {@code head} available, without a kick. */
        public void publish(int head) {
            seg().set(JAVA_SHORT_UNALIGNED, avail + 4 + 2L * (availIdx % QUEUE_SIZE), (short) head);
            availIdx = (availIdx + 1) & 0xffff;
            VarHandle.releaseFence();
            seg().set(JAVA_SHORT_UNALIGNED, avail + 2, (short) availIdx);
        }

        /** Sets the available index itself, for tests of a driver gone wrong. */
        public void setAvailIndex(int value) {
            availIdx = value & 0xffff;
            seg().set(JAVA_SHORT_UNALIGNED, avail + 2, (short) availIdx);
        }

        /** Sets the available ring's flags (1: no interrupts, please). */
        public void setAvailFlags(int flags) {
            seg().set(JAVA_SHORT_UNALIGNED, avail, (short) flags);
        }

        /** Notifies the device. */
        public void kick() throws IOException {
            byte[] one = {1, 0, 0, 0, 0, 0, 0, 0};
            kick.write(one, 0, 8, Deadline.after(PATIENCE));
        }

        /** A fresh descriptor index (the test rings never wrap their table). */
        public int newDescriptor() {
            return nextDesc++ % QUEUE_SIZE;
        }

        /** The device's used index. */
        public int usedIndex() {
            VarHandle.acquireFence();
            return Short.toUnsignedInt(seg().get(JAVA_SHORT_UNALIGNED, used + 2));
        }

        /** Waits for the next used element: {head, written length}. */
        public int[] awaitUsed(Duration timeout) throws IOException {
            Deadline d = Deadline.after(timeout);
            while (usedIndex() == usedSeen) {
                if (d.hasPassed()) {
                    throw new java.net.SocketTimeoutException("queue " + index + ": nothing used within " + timeout);
                }
                sleepBriefly();
            }
            long slot = used + 4 + 8L * (usedSeen % QUEUE_SIZE);
            usedSeen = (usedSeen + 1) & 0xffff;
            return new int[] {seg().get(JAVA_INT_UNALIGNED, slot), seg().get(JAVA_INT_UNALIGNED, slot + 4)};
        }

        /** True if the device has used an element this driver has not looked at. */
        public boolean hasUsed() {
            return usedIndex() != usedSeen;
        }

        /** Interrupts received so far (each 8 bytes on the call socket), without waiting. */
        public int interrupts() throws IOException {
            byte[] b = new byte[64];
            int total = 0;
            int n;
            while ((n = callRead.readAvailable(b, 0, b.length)) > 0) {
                total += n;
            }
            return total / 8;
        }
    }

    private FakeFrontEnd(NativeSocket connection) throws IOException {
        this.connection = connection;
        this.socket = connection.descriptor();
        this.memoryFile = SharedMemory.createFile("fake guest memory", MEMORY);
        this.memory = SharedMemory.map(memoryFile, MEMORY);
    }

    /** Connects to the back-end's vhost-user socket; no message is sent yet. */
    public static FakeFrontEnd connect(Path vhostSocket) throws IOException {
        return new FakeFrontEnd(NativeSocket.connect(UnixDomainSocketAddress.of(vhostSocket), Deadline.after(PATIENCE)));
    }

    private Descriptor own(Descriptor d) {
        owned.add(d);
        return d;
    }

    /** The connection to the back-end, for writing raw bytes. */
    public Descriptor socket() {
        return socket;
    }

    /** The guest memory, indexed by guest address minus {@link #GUEST_BASE}. */
    public MemorySegment seg() {
        return memory.segment();
    }

    /** Allocates {@code size} bytes of guest memory; their offset in {@link #seg()}. */
    public long alloc(long size, long align) {
        next = (next + align - 1) & -align;
        long at = next;
        next += size;
        if (next > MEMORY) {
            throw new IllegalStateException("fake guest memory exhausted");
        }
        return at;
    }

    /** The guest address of memory offset {@code offset}. */
    public static long guest(long offset) {
        return GUEST_BASE + offset;
    }

    public Queue queue(int i) {
        return queues.get(i);
    }

    // ------------------------------------------------------------------ the protocol

    /** Sends one message: header (request, flags with version 1, size), payload, descriptors. */
    public void send(int request, int flags, byte[] payload, List<Descriptor> fds) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(request).putInt(flags).putInt(payload.length).put(payload);
        DescriptorPassing.send(socket, b.array(), 0, b.capacity(), fds, Deadline.after(PATIENCE));
    }

    /** Sends a request with need-reply set and returns the acknowledgement's value. */
    public long request(int request, byte[] payload, Descriptor... fds) throws IOException {
        send(request, 0x1 | 0x8, payload, List.of(fds));
        Reply r = reply();
        if (r.request() != request || r.payload().length != 8) {
            throw new IOException("bad acknowledgement " + r);
        }
        return ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Sends a request that has a reply of its own and returns it. */
    public Reply ask(int request, byte[] payload) throws IOException {
        send(request, 0x1, payload, List.of());
        return reply();
    }

    /** A reply from the back-end. */
    public record Reply(int request, int flags, byte[] payload) {
        public long u64() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
    }

    /** Reads the next reply. */
    public Reply reply() throws IOException {
        byte[] h = readFully(12);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int request = b.getInt();
        int flags = b.getInt();
        int size = b.getInt();
        return new Reply(request, flags, readFully(size));
    }

    /** True once the back-end has closed the connection (end of stream). */
    public boolean closedByBackEnd(Duration timeout) throws IOException {
        byte[] one = new byte[1];
        try {
            return connection.read(one, 0, 1, Deadline.after(timeout)) < 0;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("ECONNRESET");
        }
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        int done = 0;
        while (done < n) {
            int r = connection.read(b, done, n - done, Deadline.after(PATIENCE));
            if (r < 0) {
                throw new EOFException("the back-end closed the connection");
            }
            done += r;
        }
        return b;
    }

    public static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    public static byte[] state(int index, int num) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(index).putInt(num).array();
    }

    /** The memory table as user-mode Linux sends it: room for two regions, one used. */
    public byte[] memTable() {
        ByteBuffer b = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(0);
        b.putLong(GUEST_BASE).putLong(MEMORY).putLong(USER_BASE).putLong(0);
        return b.array();
    }

    /**
     * The whole start-up of a 3-queue device, as user-mode Linux performs it when the vsock
     * driver loads; afterwards the rx queue has {@code rxBuffers} buffers of {@code rxSize} bytes.
     */
    public void start(int rxBuffers, int rxSize) throws IOException {
        send(3, 0x1, new byte[0], List.of()); // SET_OWNER, before REPLY_ACK
        long features = ask(1, new byte[0]).u64();
        long protocol = ask(15, new byte[0]).u64();
        send(16, 0x1, u64(protocol & (1L << 3 | 1L << 5 | 1L << 9)), List.of());
        Descriptor[] backendChannel = SocketPair.create("back-end requests");
        own(backendChannel[0]);
        try {
            check(request(21, new byte[0], backendChannel[1]), "SET_BACKEND_REQ_FD");
        } finally {
            backendChannel[1].close();
        }
        check(request(2, u64(features & (1L << 32 | 1L << 30))), "SET_FEATURES");
        check(request(5, memTable(), memoryFile), "SET_MEM_TABLE");
        for (int i = 0; i < 3; i++) {
            Queue q = new Queue(i);
            queues.add(q);
            check(request(13, u64(i), q.callWrite), "SET_VRING_CALL");
            check(request(8, state(i, QUEUE_SIZE)), "SET_VRING_NUM");
            check(request(10, state(i, 0)), "SET_VRING_BASE");
            check(request(9, vringAddr(i, q)), "SET_VRING_ADDR");
        }
        for (Queue q : queues) {
            check(request(12, u64(q.index), q.kick), "SET_VRING_KICK");
            check(request(18, state(q.index, 1)), "SET_VRING_ENABLE");
        }
        fillRx(rxBuffers, rxSize);
    }

    /** SET_VRING_ADDR's payload for queue {@code q}, in the front-end's user addresses. */
    public byte[] vringAddr(int index, Queue q) {
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putInt(index).putInt(0)
                .putLong(USER_BASE + q.desc).putLong(USER_BASE + q.used).putLong(USER_BASE + q.avail).putLong(-1L)
                .array();
    }

    private static void check(long ack, String what) throws IOException {
        if (ack != 0) {
            throw new IOException(what + " failed: " + ack);
        }
    }

    /** The device's config space, read as the driver does (offset 0, 8 bytes). */
    public long guestCid() throws IOException {
        byte[] payload = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(8).putInt(0).array();
        Reply r = ask(24, payload);
        return ByteBuffer.wrap(r.payload(), 12, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    // ------------------------------------------------------------------ the vsock driver

    private final List<long[]> rxBuffers = new ArrayList<>();

    /** Adds {@code count} receive buffers of {@code size} bytes each and kicks. */
    public void fillRx(int count, int size) throws IOException {
        Queue rx = queue(0);
        for (int i = 0; i < count; i++) {
            long at = alloc(size, 8);
            int d = rx.newDescriptor();
            rx.setDescriptor(d, guest(at), size, 2, 0);
            while (rxBuffers.size() <= d) {
                rxBuffers.add(null);
            }
            rxBuffers.set(d, new long[] {at, size});
            rx.publish(d);
        }
        if (count > 0) {
            rx.kick();
        }
    }

    /** A packet the device placed in a receive buffer: the header's 44 bytes and the payload. */
    public record Received(ByteBuffer header, byte[] payload) {
        public int op() {
            return Short.toUnsignedInt(header.getShort(30));
        }

        public long srcCid() {
            return header.getLong(0);
        }

        public long dstCid() {
            return header.getLong(8);
        }

        public int srcPort() {
            return header.getInt(16);
        }

        public int dstPort() {
            return header.getInt(20);
        }

        public int len() {
            return header.getInt(24);
        }

        public int flags() {
            return header.getInt(32);
        }

        public int bufAlloc() {
            return header.getInt(36);
        }

        public int fwdCnt() {
            return header.getInt(40);
        }
    }

    /** Waits for the next packet in the receive queue; the buffer is given back to the device at once. */
    public Received receive(Duration timeout) throws IOException {
        return receive(timeout, true);
    }

    /** Waits for the next packet in the receive queue; {@code recycle}: give its buffer back to the device. */
    public Received receive(Duration timeout, boolean recycle) throws IOException {
        int[] used = queue(0).awaitUsed(timeout);
        long[] buffer = rxBuffers.get(used[0]);
        byte[] all = seg().asSlice(buffer[0], used[1]).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        ByteBuffer header = ByteBuffer.wrap(all, 0, 44).slice().order(ByteOrder.LITTLE_ENDIAN);
        byte[] payload = java.util.Arrays.copyOfRange(all, 44, all.length);
        if (recycle) {
            queue(0).publish(used[0]);
            queue(0).kick();
        }
        return new Received(header, payload);
    }

    /** A vsock header, little-endian, 44 bytes. */
    public static byte[] header(long srcCid, long dstCid, int srcPort, int dstPort, int len, int type, int op,
            int flags, int bufAlloc, int fwdCnt) {
        return ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN).putLong(srcCid).putLong(dstCid)
                .putInt(srcPort).putInt(dstPort).putInt(len).putShort((short) type).putShort((short) op)
                .putInt(flags).putInt(bufAlloc).putInt(fwdCnt).array();
    }

    /** Transmits a packet as the Linux driver does: the header and the payload in two chained descriptors. */
    public void transmit(byte[] header, byte[] payload) throws IOException {
        Queue tx = queue(1);
        // As a driver does: wait for the device to hand back chains before reusing their descriptors.
        Deadline room = Deadline.after(PATIENCE);
        while (((tx.availIdx - tx.usedIndex()) & 0xffff) >= MAX_IN_FLIGHT) {
            if (room.hasPassed()) {
                throw new java.net.SocketTimeoutException("the device takes no packets from the transmit queue");
            }
            sleepBriefly();
        }
        long h = txAlloc(header.length);
        MemorySegment.copy(header, 0, seg(), java.lang.foreign.ValueLayout.JAVA_BYTE, h, header.length);
        int hd = tx.newDescriptor();
        if (payload.length == 0) {
            tx.setDescriptor(hd, guest(h), header.length, 0, 0);
        } else {
            long p = txAlloc(payload.length);
            MemorySegment.copy(payload, 0, seg(), java.lang.foreign.ValueLayout.JAVA_BYTE, p, payload.length);
            int pd = tx.newDescriptor();
            tx.setDescriptor(hd, guest(h), header.length, 1, pd);
            tx.setDescriptor(pd, guest(p), payload.length, 0, 0);
        }
        tx.publish(hd);
        tx.kick();
    }

    /** Waits until the device has taken every packet transmitted so far. */
    public void awaitTransmitted() throws IOException {
        Queue tx = queue(1);
        Deadline d = Deadline.after(PATIENCE);
        while (tx.usedIndex() != tx.availIdx) {
            if (d.hasPassed()) {
                throw new java.net.SocketTimeoutException("the device takes no packets from the transmit queue");
            }
            sleepBriefly();
        }
    }

    private long txAlloc(int size) {
        if (txArena < 0) {
            txArena = alloc(TX_ARENA, 8);
        }
        long rounded = (size + 7) & ~7L;
        if (txNext + rounded > TX_ARENA) {
            txNext = 0;
        }
        long at = txArena + txNext;
        txNext += rounded;
        return at;
    }

    /** Releases the memory and every descriptor, and closes the connection: the guest is gone. */
    @Override
    public void close() {
        connection.close();
        owned.forEach(Descriptor::close);
        memory.close();
        memoryFile.close();
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }
}
