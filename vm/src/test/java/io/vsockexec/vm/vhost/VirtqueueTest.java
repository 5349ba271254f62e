package io.vsockexec.vm.vhost;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.SharedMemory;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Split virtqueues as a driver may lay them out, well or badly: chains are read in order, and
 * every way a chain can break the rules makes it malformed (or the queue broken), never an
 * access outside guest memory or an endless walk.
 */
class VirtqueueTest {
    static final long GUEST = 0x10_0000L;
    static final long USER = 0x7000_0000_0000L;
    static final long SIZE = 1 << 20;
    static final int N = 8;
    static final long DESC = 0x1000;
    static final long AVAIL = 0x2000;
    static final long USED = 0x3000;

    Descriptor file;
    SharedMemory mine;
    GuestMemory memory;
    Virtqueue queue;
    int availIdx;

    @BeforeEach
    void layOut() throws Exception {
        file = SharedMemory.createFile("guest", SIZE);
        mine = SharedMemory.map(file, SIZE);
        memory = new GuestMemory(List.of(new MemoryRegion(GUEST, SIZE, USER, 0, SharedMemory.map(file, SIZE))));
        queue = Virtqueue.of(memory, N, USER + DESC, USER + AVAIL, USER + USED, 0);
    }

    @AfterEach
    void release() {
        memory.close();
        mine.close();
        file.close();
    }

    MemorySegment seg() {
        return mine.segment();
    }

    void descriptor(int i, long guestAddress, int len, int flags, int next) {
        long at = DESC + 16L * i;
        seg().set(JAVA_LONG_UNALIGNED, at, guestAddress);
        seg().set(JAVA_INT_UNALIGNED, at + 8, len);
        seg().set(JAVA_SHORT_UNALIGNED, at + 12, (short) flags);
        seg().set(JAVA_SHORT_UNALIGNED, at + 14, (short) next);
    }

    void publish(int head) {
        seg().set(JAVA_SHORT_UNALIGNED, AVAIL + 4 + 2L * (availIdx % N), (short) head);
        availIdx++;
        seg().set(JAVA_SHORT_UNALIGNED, AVAIL + 2, (short) availIdx);
    }

    @Test
    void aChainIsReadAcrossItsDescriptorsInOrderAndWrittenIntoItsWritableOnes() throws Exception {
        byte[] hello = "hello, ".getBytes(StandardCharsets.US_ASCII);
        byte[] world = "world".getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(hello, 0, seg(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0x8000, hello.length);
        MemorySegment.copy(world, 0, seg(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0x9000, world.length);
        descriptor(0, GUEST + 0x8000, hello.length, Virtqueue.F_NEXT, 5);
        descriptor(5, GUEST + 0x9000, world.length, Virtqueue.F_NEXT, 2);
        descriptor(2, GUEST + 0xa000, 16, Virtqueue.F_WRITE, 0);
        publish(0);

        DescriptorChain c = (DescriptorChain) queue.next();
        assertThat(c.head()).isZero();
        assertThat(c.readableBytes()).isEqualTo(12);
        assertThat(c.writableBytes()).isEqualTo(16);
        byte[] all = new byte[12];
        c.read(0, all, 0, 12);
        assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        c.write(3, "abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertThat(seg().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0xa003)).isEqualTo((byte) 'a');
        assertThatThrownBy(() -> c.write(15, new byte[2], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(queue.next()).isNull();
    }

    @Test
    void usedElementsArePublishedWithTheirLengths() throws Exception {
        descriptor(1, GUEST + 0x8000, 100, Virtqueue.F_WRITE, 0);
        publish(1);
        Chain c = queue.next() instanceof Chain ch ? ch : null;
        queue.putUsed(c.head(), 44);
        assertThat(seg().get(JAVA_SHORT_UNALIGNED, USED + 2)).isEqualTo((short) 1);
        assertThat(seg().get(JAVA_INT_UNALIGNED, USED + 4)).isEqualTo(1);
        assertThat(seg().get(JAVA_INT_UNALIGNED, USED + 8)).isEqualTo(44);
    }

    @Test
    void theDriverMaySuppressInterrupts() {
        assertThat(queue.wantsInterrupt()).isTrue();
        seg().set(JAVA_SHORT_UNALIGNED, AVAIL, (short) Virtqueue.AVAIL_F_NO_INTERRUPT);
        assertThat(queue.wantsInterrupt()).isFalse();
    }

    @Test
    void aLoopingChainIsMalformedNotEndless() throws Exception {
        descriptor(0, GUEST + 0x8000, 10, Virtqueue.F_NEXT, 1);
        descriptor(1, GUEST + 0x8000, 10, Virtqueue.F_NEXT, 0);
        publish(0);
        assertThat(queue.next()).isInstanceOfSatisfying(Chain.Malformed.class,
                m -> assertThat(m.reason()).contains("loops"));
    }

    @Test
    void aBufferOutsideGuestMemoryIsMalformed() throws Exception {
        descriptor(0, GUEST + SIZE - 10, 11, 0, 0); // one byte past the end
        publish(0);
        descriptor(1, GUEST - 1, 1, 0, 0); // before the start
        publish(1);
        descriptor(2, -8, 16, 0, 0); // wrapping around the address space
        publish(2);
        for (int i = 0; i < 3; i++) {
            assertThat(queue.next()).isInstanceOfSatisfying(Chain.Malformed.class,
                    m -> assertThat(m.reason()).contains("outside the guest's memory"));
        }
    }

    @Test
    void aLinkOutsideTheTableIsMalformed() throws Exception {
        descriptor(0, GUEST + 0x8000, 10, Virtqueue.F_NEXT, N);
        publish(0);
        assertThat(queue.next()).isInstanceOfSatisfying(Chain.Malformed.class,
                m -> assertThat(m.reason()).contains("outside the queue"));
    }

    @Test
    void indirectDescriptorsAreMalformedSinceTheyWereNotNegotiated() throws Exception {
        descriptor(0, GUEST + 0x8000, 32, Virtqueue.F_INDIRECT, 0);
        publish(0);
        assertThat(queue.next()).isInstanceOf(Chain.Malformed.class);
    }

    @Test
    void aReadableBufferAfterAWritableOneIsMalformed() throws Exception {
        descriptor(0, GUEST + 0x8000, 10, Virtqueue.F_WRITE | Virtqueue.F_NEXT, 1);
        descriptor(1, GUEST + 0x9000, 10, 0, 0);
        publish(0);
        assertThat(queue.next()).isInstanceOf(Chain.Malformed.class);
    }

    @Test
    void aHeadOutsideTheTableBreaksTheQueue() {
        publish(N + 3);
        assertThatThrownBy(() -> queue.next()).isInstanceOf(GuestMemoryException.class)
                .hasMessageContaining("outside a queue");
    }

    @Test
    void anAvailableIndexFurtherAheadThanTheRingHoldsBreaksTheQueue() {
        seg().set(JAVA_SHORT_UNALIGNED, AVAIL + 2, (short) (N + 1));
        assertThatThrownBy(() -> queue.next()).isInstanceOf(GuestMemoryException.class)
                .hasMessageContaining("ahead");
    }

    @Test
    void ringsOutsideTheMemoryOrMisalignedOrOfABadSizeAreRefused() {
        assertThatThrownBy(() -> Virtqueue.of(memory, N, USER + SIZE - 16, USER + AVAIL, USER + USED, 0))
                .isInstanceOf(GuestMemoryException.class);
        assertThatThrownBy(() -> Virtqueue.of(memory, N, GUEST + DESC, GUEST + AVAIL, GUEST + USED, 0))
                .as("guest addresses are not the front-end's").isInstanceOf(GuestMemoryException.class);
        assertThatThrownBy(() -> Virtqueue.of(memory, N, USER + DESC + 8, USER + AVAIL, USER + USED, 0))
                .isInstanceOf(GuestMemoryException.class).hasMessageContaining("misaligned");
        assertThatThrownBy(() -> Virtqueue.of(memory, 6, USER + DESC, USER + AVAIL, USER + USED, 0))
                .isInstanceOf(GuestMemoryException.class).hasMessageContaining("power of two");
    }

    @Test
    void aQueueResumesAtTheBaseItWasGiven() throws Exception {
        seg().set(JAVA_SHORT_UNALIGNED, AVAIL + 2, (short) 5);
        Virtqueue resumed = Virtqueue.of(memory, N, USER + DESC, USER + AVAIL, USER + USED, 5);
        assertThat(resumed.nextAvailable()).isEqualTo(5);
        assertThat(resumed.next()).as("everything before the base was taken before").isNull();
    }
}
