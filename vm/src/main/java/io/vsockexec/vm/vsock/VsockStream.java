package io.vsockexec.vm.vsock;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.NativeSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream between a host Unix socket and a guest vsock socket, with virtio-vsock's credit
 * flow control both ways.
 *
 * <p><b>Guest to host.</b> The device promises the guest a receive buffer of {@link Credit#BUF_ALLOC}
 * bytes; the guest may have at most that many bytes in flight beyond the {@code fwd_cnt} the
 * device last told it (the bytes forwarded to the host). RW payloads are queued here (a guest that sends beyond its credit
 * is reset) and a virtual thread of the stream writes them to the host socket, then tells the
 * guest of the room it made once enough has gone.
 *
 * <p><b>Host to guest.</b> Another virtual thread reads the host socket, never more than the
 * guest's credit allows ({@code buf_alloc - (tx_cnt - fwd_cnt)} from the guest's last header),
 * and places the bytes in the guest's receive queue through {@link GuestRx}, which splits them
 * into packets the size of the guest's buffers.
 *
 * <p>So each stream holds at most {@link Credit#BUF_ALLOC} bytes queued for the host and one read
 * buffer of {@link #READ_CHUNK} bytes, and two virtual threads; a close from any side ends both.
 */
final class VsockStream {
    /** The most read from the host socket at once. */
    static final int READ_CHUNK = 64 * 1024;
    private static final Log LOG = Log.process();

    private enum State { CONNECTING, CONNECTED, CLOSED }

    private final StreamKey key;
    private final VsockDevice device;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private NativeSocket host;
    private State state = State.CONNECTING;
    // guest -> host, all under lock
    private final ArrayDeque<byte[]> toHost = new ArrayDeque<>();
    private final Credit credit = new Credit();
    private int queued;
    private boolean guestSendDone;
    private boolean guestClosing;
    private boolean hostOutputDone;
    // host -> guest, all under lock
    private boolean guestReceiveDone;
    private boolean hostEof;
    private boolean creditRequested;
    /** A CREDIT_UPDATE waits in the receive queue: another would say nothing new. */
    private boolean creditUpdateQueued;

    VsockStream(StreamKey key, VsockDevice device, NativeSocket host) {
        this.key = key;
        this.device = device;
        this.host = host;
    }

    StreamKey key() {
        return key;
    }

    /** The guest's credit state, from any packet it sent on this stream. */
    void updatePeerCredit(PacketHeader h) {
        lock.lock();
        try {
            credit.peer(h);
            creditRequested = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ opening

    /** A guest-initiated stream: the host socket is connected now. False if the guest reset the stream meanwhile. */
    boolean hostConnected(NativeSocket socket) {
        lock.lock();
        try {
            if (state != State.CONNECTING) {
                return false;
            }
            host = socket;
            state = State.CONNECTED;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The guest accepted a host-initiated stream (RESPONSE). */
    void guestAccepted() {
        lock.lock();
        try {
            if (state == State.CONNECTING) {
                state = State.CONNECTED;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the guest to accept a host-initiated stream; false if it refused or did not answer in time. */
    boolean awaitAccepted(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (state == State.CONNECTING) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return state == State.CONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /** Starts the two threads that move bytes; call once the stream is connected. */
    void startPumps() {
        Thread.ofVirtual().name("vsock-to-host " + key).start(this::pumpToHost);
        Thread.ofVirtual().name("vsock-to-guest " + key).start(this::pumpToGuest);
    }

    // ------------------------------------------------------------------ guest -> host

    /**
     * An RW payload from the guest; never blocks. A payload beyond the guest's credit, or where it
     * may not send, resets the stream in the same step as that judgement (under the same lock):
     * so no header built after it can tell the guest of room the payload was not judged by.
     *
     * @return false if the stream was reset for it
     */
    boolean fromGuest(byte[] payload) {
        NativeSocket socket;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return true; // a packet that crossed the close: nothing to deliver it to
            }
            if (accepts(payload.length)) {
                if (payload.length > 0) {
                    toHost.addLast(payload);
                    queued += payload.length;
                    credit.received(payload.length);
                    changed.signalAll();
                }
                return true;
            }
            socket = end();
        } finally {
            lock.unlock();
        }
        release(socket, true);
        return false;
    }

    /** True if the guest may send {@code n} bytes now: the stream is open its way and they are within its credit. */
    private boolean accepts(int n) {
        if (state == State.CONNECTING || guestSendDone) {
            return n == 0; // data before the stream is open or after the guest shut it
        }
        return credit.mayReceive(n);
    }

    /** A SHUTDOWN from the guest. */
    void guestShutdown(int flags) {
        lock.lock();
        try {
            if ((flags & PacketHeader.SHUTDOWN_SEND) != 0) {
                guestSendDone = true;
            }
            if ((flags & PacketHeader.SHUTDOWN_RCV) != 0) {
                guestReceiveDone = true;
            }
            // Both: the guest closed its socket and waits for a reset, sent once its bytes are out.
            guestClosing = guestSendDone && guestReceiveDone;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pumpToHost() {
        try {
            while (true) {
                byte[] chunk = nextForHost();
                if (chunk == null) {
                    break;
                }
                host.write(chunk, 0, chunk.length, Deadline.none());
                forwarded(chunk.length);
            }
            host.shutdownOutput();
            finishedOutput();
        } catch (IOException | RuntimeException e) {
            // The host client went away: the guest's next write would be lost, so reset it now.
            LOG.debug(() -> key + ": the host socket failed", e);
            close(true);
        }
    }

    /** The next payload for the host, or null when the guest will send no more; throws once closed. */
    private byte[] nextForHost() throws IOException {
        lock.lock();
        try {
            while (toHost.isEmpty() && !guestSendDone && state != State.CLOSED) {
                changed.awaitUninterruptibly();
            }
            if (state == State.CLOSED) {
                throw new IOException("closed");
            }
            return toHost.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void forwarded(int n) {
        boolean announce;
        lock.lock();
        try {
            queued -= n;
            announce = credit.forwarded(n);
        } finally {
            lock.unlock();
        }
        if (announce) {
            announceCredit();
        }
    }

    /**
     * Queues a CREDIT_UPDATE unless one is waiting already (its header is built when it is
     * placed, so it will carry the newest count): a guest that asks again and again, or sends many
     * small packets while its receive queue is full, queues one packet, not one per event.
     */
    void announceCredit() {
        lock.lock();
        try {
            if (creditUpdateQueued || state == State.CLOSED) {
                return;
            }
            creditUpdateQueued = true;
        } finally {
            lock.unlock();
        }
        device.rx().control(this, VsockOp.CREDIT_UPDATE, 0);
    }

    /** Every byte from the guest is out and the host's side is shut: done if the host side finished too. */
    private void finishedOutput() {
        boolean done;
        lock.lock();
        try {
            hostOutputDone = true;
            done = hostEof || guestClosing;
        } finally {
            lock.unlock();
        }
        if (done) {
            close(true);
        }
    }

    // ------------------------------------------------------------------ host -> guest

    private void pumpToGuest() {
        byte[] buffer = new byte[READ_CHUNK];
        try {
            while (true) {
                int room = awaitCredit();
                if (room <= 0) {
                    return;
                }
                int n = host.read(buffer, 0, Math.min(room, buffer.length), Deadline.none());
                if (n < 0) {
                    hostFinished();
                    return;
                }
                if (!device.rx().data(this, buffer, n)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug(() -> key + ": reading the host socket ended", e);
            if (isOpen()) {
                close(true);
            }
        }
    }

    /** Waits until the guest has room; the room, or 0 once the stream is closed or the guest stopped receiving. */
    private int awaitCredit() {
        boolean ask = false;
        lock.lock();
        try {
            while (state == State.CONNECTED && !guestReceiveDone) {
                long room = credit.guestRoom();
                if (room > 0) {
                    return (int) Math.min(room, Integer.MAX_VALUE);
                }
                if (!creditRequested) {
                    creditRequested = true;
                    ask = true;
                    break;
                }
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (ask) {
            device.rx().control(this, VsockOp.CREDIT_REQUEST, 0);
            return awaitCredit();
        }
        return 0;
    }

    /** The host client shut its output: tell the guest, or close if the guest is done too. */
    private void hostFinished() {
        boolean done;
        lock.lock();
        try {
            hostEof = true;
            done = hostOutputDone;
        } finally {
            lock.unlock();
        }
        if (done) {
            close(true);
        } else {
            device.rx().control(this, VsockOp.SHUTDOWN, PacketHeader.SHUTDOWN_SEND);
        }
    }

    /**
     * The header of a packet to the guest on this stream, with this side's credit state;
     * {@code payload} bytes of RW count against the guest's credit.
     */
    PacketHeader header(VsockOp op, int flags, int payload) {
        lock.lock();
        try {
            if (op == VsockOp.RW) {
                credit.sent(payload);
            } else if (op == VsockOp.CREDIT_UPDATE) {
                creditUpdateQueued = false;
            }
            // Once the stream has ended, the count the guest was judged by stays the last it hears: a
            // newer one ahead of the reset would say that a packet reset for overrunning its credit
            // was within it.
            int fwdCnt = state == State.CLOSED ? credit.told() : credit.advertise();
            return new PacketHeader(VsockDevice.HOST_CID, device.guestCid(), key.hostPort(), key.guestPort(), payload,
                    PacketHeader.TYPE_STREAM, op, flags, Credit.BUF_ALLOC, fwdCnt);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ closing

    boolean isOpen() {
        return Guarded.get(lock, () -> state != State.CLOSED);
    }

    /**
     * Ends the stream: forgets it, closes the host socket (which ends both threads) and, if
     * {@code resetGuest}, sends the guest a reset. Idempotent.
     */
    void close(boolean resetGuest) {
        NativeSocket socket;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            socket = end();
        } finally {
            lock.unlock();
        }
        release(socket, resetGuest);
    }

    /** Under the lock: the stream is closed from now on; its host socket, to close once the lock is let go. */
    private NativeSocket end() {
        state = State.CLOSED;
        toHost.clear();
        queued = 0;
        changed.signalAll();
        return host;
    }

    /** After {@link #end()}: forgets the stream, closes {@code socket}, resets the guest if asked, wakes the threads. */
    private void release(NativeSocket socket, boolean resetGuest) {
        device.forget(this);
        if (socket != null) {
            socket.close();
        }
        if (resetGuest) {
            device.rx().reset(key);
        }
        device.rx().wakeWaiters();
    }

    @Override
    public String toString() {
        return "VsockStream[" + key + "]";
    }
}
