package io.vsockexec.vm.vsock;

/**
 * The credit accounting of one stream, both ways (virtio 1.2, 5.10.6.3). Counters are 32-bit and
 * wrap, as on the wire; differences are taken as unsigned. Not thread-safe: the stream guards it.
 *
 * <p>To the guest: it allocated {@code peerBufAlloc} bytes and has consumed {@code peerFwdCnt} of
 * what the device sent ({@code txCnt}), so it has room for {@code peerBufAlloc - (txCnt -
 * peerFwdCnt)}. From the guest: the device allocated {@link #BUF_ALLOC} and last told the guest it
 * had forwarded {@code advertisedFwdCnt}; the guest may have in flight at most {@link #BUF_ALLOC}
 * beyond that.
 */
final class Credit {
    /** The receive buffer the device advertises to the guest for each stream. */
    static final int BUF_ALLOC = 256 * 1024;
    /** Room made for the guest that is announced at once, rather than with the next packet. */
    static final int ANNOUNCE_THRESHOLD = BUF_ALLOC / 4;

    private int peerBufAlloc;
    private int peerFwdCnt;
    private int txCnt;
    private int received;
    private int fwdCnt;
    private int advertisedFwdCnt;

    /** The guest's credit state, from a packet it sent. */
    void peer(PacketHeader h) {
        peerBufAlloc = h.bufAlloc();
        peerFwdCnt = h.fwdCnt();
    }

    /** The bytes the guest has room for now. */
    long guestRoom() {
        return Integer.toUnsignedLong(peerBufAlloc) - Integer.toUnsignedLong(txCnt - peerFwdCnt);
    }

    /** {@code n} bytes went to the guest. */
    void sent(int n) {
        txCnt += n;
    }

    /** True if the guest may send {@code n} more bytes: it stays within what it was told. */
    boolean mayReceive(int n) {
        return Integer.toUnsignedLong(received - advertisedFwdCnt) + n <= BUF_ALLOC;
    }

    /** {@code n} bytes came from the guest. */
    void received(int n) {
        received += n;
    }

    /** {@code n} bytes went on to the host; true if the room made is worth announcing at once. */
    boolean forwarded(int n) {
        fwdCnt += n;
        return fwdCnt - advertisedFwdCnt >= ANNOUNCE_THRESHOLD;
    }

    /** The forwarded count for a header going to the guest, which from then on knows it. */
    int advertise() {
        advertisedFwdCnt = fwdCnt;
        return fwdCnt;
    }

    /** The forwarded count the guest was last told, which its packets are judged by. */
    int told() {
        return advertisedFwdCnt;
    }
}
