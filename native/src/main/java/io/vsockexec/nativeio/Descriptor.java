package io.vsockexec.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.Native;
import io.vsockexec.nativeio.internal.Poller;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An owned, non-blocking file descriptor with blocking-style operations that honour a
 * {@link Deadline}: sockets, pipes and pseudo-terminal masters are all read and written through
 * this class.
 *
 * <p>How a thread waits depends on its kind, as in the JDK's own sockets. A virtual thread parks
 * (see {@link Poller}), never inside a native call, so thousands of them can block here on two
 * carrier threads. A platform thread waits inside poll(2) itself, in slices of
 * {@link #KERNEL_WAIT_SLICE_MILLIS}: woken by the kernel directly, it spares the poller thread's
 * two hand-offs, each a wake-up of another thread, costly on a small VM. {@link #close()} from
 * any thread ends every operation blocked on the descriptor (a parked one at once, one in poll(2)
 * at the end of its slice), which then throws {@link AsynchronousCloseException}; the number is
 * released only once no call is using it, so a concurrent call can never act on a recycled
 * descriptor number.
 *
 * <p>Reads are serialized with each other, and so are writes; a read and a write may run at once.
 */
public final class Descriptor implements Closeable {
    /**
     * How long a platform thread waits inside poll(2) before it looks again whether it was
     * interrupted or its descriptor was closed: poll(2) is woken by neither.
     */
    public static final int KERNEL_WAIT_SLICE_MILLIS = 250;
    /** The most descriptors {@link #awaitReadable} takes: one bit each in its result. */
    public static final int MAX_AWAITED = 32;

    private static final int CLOSED = 1 << 31;
    /** {@link #readOnce} and {@link #writeOnce}: nothing can move without waiting. */
    private static final int WOULD_BLOCK = -2;
    /** {@code FIONREAD} (also {@code SIOCINQ}) from {@code <asm-generic/ioctls.h>}: the bytes waiting to be read. */
    private static final long FIONREAD = 0x541B;

    private final int fd;
    private final String name;
    private final boolean eioMeansEof;
    /** Bit 31: closing; bits 0-30: calls in progress plus one for "open". */
    private final AtomicInteger state = new AtomicInteger(1);
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    /**
     * Takes ownership of {@code fd} and puts it in non-blocking mode.
     *
     * @param name what the descriptor is, for messages ({@code vsock://3:5000}, {@code stdout pipe})
     */
    public static Descriptor adopt(int fd, String name) throws ErrnoException {
        makeNonBlocking(fd, name);
        return new Descriptor(fd, name, false);
    }

    /**
     * Takes ownership of {@code fd} that was created non-blocking ({@code SOCK_NONBLOCK} from
     * socket or accept4), sparing {@link #adopt}'s fcntl call on every connection.
     */
    static Descriptor adoptNonBlocking(int fd, String name) {
        return new Descriptor(fd, name, false);
    }

    private static void makeNonBlocking(int fd, String name) throws ErrnoException {
        int flags = Libc.fcntl(fd, Libc.F_GETFL, 0);
        if (flags >= 0 && (flags & Libc.O_NONBLOCK) == 0) {
            flags = Libc.fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK);
        }
        if (flags < 0) {
            Libc.close(fd);
            throw ErrnoException.of("fcntl", name, -flags);
        }
    }

    /**
     * Takes ownership of a pseudo-terminal master. Reading it reports EIO once every slave is
     * closed; that is its end of stream, and {@link #read} returns -1 for it.
     */
    public static Descriptor adoptTerminalMaster(int fd, String name) throws ErrnoException {
        makeNonBlocking(fd, name);
        return new Descriptor(fd, name, true);
    }

    private Descriptor(int fd, String name, boolean eioMeansEof) {
        this.fd = fd;
        this.name = Objects.requireNonNull(name, "name");
        this.eioMeansEof = eioMeansEof;
    }

    /** What this descriptor is, as given when it was adopted. */
    public String name() {
        return name;
    }

    /** True until {@link #close()} is called. */
    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /**
     * Reads up to {@code len} bytes, waiting until at least one is available.
     *
     * @return the number of bytes read, or -1 at end of stream
     * @throws SocketTimeoutException if the deadline passes first
     * @throws AsynchronousCloseException if the descriptor is closed while waiting
     */
    public int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        MemorySegment target = MemorySegment.ofArray(b).asSlice(off, len);
        acquire();
        readLock.lock();
        try {
            int n;
            while ((n = readOnce(target)) == WOULD_BLOCK) {
                await(Poller.forRead(), "read", deadline);
            }
            return n;
        } finally {
            readLock.unlock();
            release();
        }
    }

    /**
     * Reads up to {@code len} bytes that are available now, without waiting.
     *
     * @return the number of bytes read; 0 if none is available yet; -1 at end of stream
     */
    public int readAvailable(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        acquire();
        readLock.lock();
        try {
            int n = readOnce(MemorySegment.ofArray(b).asSlice(off, len));
            return n == WOULD_BLOCK ? 0 : n;
        } finally {
            readLock.unlock();
            release();
        }
    }

    /** One read(2), retried if a signal interrupts it: the bytes read, -1 at end of stream, or {@link #WOULD_BLOCK}. */
    private int readOnce(MemorySegment target) throws ErrnoException {
        while (true) {
            long n = Libc.read(fd, target);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0 || n == -Errno.EIO && eioMeansEof) {
                return -1;
            }
            if (n == -Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (n != -Errno.EINTR) {
                throw ErrnoException.of("read", name, (int) -n);
            }
        }
    }

    /**
     * Writes all {@code len} bytes, waiting for buffer space as needed.
     *
     * @throws SocketTimeoutException if the deadline passes before every byte is written
     */
    public void write(byte[] b, int off, int len, Deadline deadline) throws IOException {
        writeUpTo(b, off, len, true, deadline);
    }

    /**
     * Writes as many of the {@code len} bytes as there is room for now, without waiting.
     *
     * @return the number of bytes written: {@code len}, fewer, or 0 if there is no room at all
     */
    public int writeAvailable(byte[] b, int off, int len) throws IOException {
        return writeUpTo(b, off, len, false, Deadline.none());
    }

    /**
     * Writes until all {@code len} bytes are out, waiting for room if {@code waitForRoom}, else
     * stopping when there is none; the number of bytes written.
     */
    private int writeUpTo(byte[] b, int off, int len, boolean waitForRoom, Deadline deadline) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        acquire();
        writeLock.lock();
        try {
            int done = 0;
            while (done < len) {
                int n = writeOnce(b, off + done, len - done);
                if (n != WOULD_BLOCK) {
                    done += n;
                } else if (waitForRoom) {
                    await(Poller.forWrite(), "write", deadline);
                } else {
                    break;
                }
            }
            return done;
        } finally {
            writeLock.unlock();
            release();
        }
    }

    /** One write(2), retried if a signal interrupts it: the bytes written, or {@link #WOULD_BLOCK}. */
    private int writeOnce(byte[] b, int off, int len) throws ErrnoException {
        while (true) {
            long n = Libc.write(fd, MemorySegment.ofArray(b).asSlice(off, len));
            if (n >= 0) {
                return (int) n;
            }
            if (n == -Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (n != -Errno.EINTR) {
                throw ErrnoException.of("write", name, (int) -n);
            }
        }
    }

    /**
     * Runs a non-blocking call on the raw descriptor number, retrying after readiness while the
     * call returns {@code -EAGAIN}. The number is valid only during {@code call}.
     *
     * @param readiness {@code true} to wait for readability, {@code false} for writability
     * @return the call's non-negative result
     */
    public int retryUntilReady(String operation, boolean readiness, Deadline deadline, FdCall call)
            throws IOException {
        acquire();
        ReentrantLock lock = readiness ? readLock : writeLock;
        lock.lock();
        try {
            while (true) {
                int rc = call.apply(fd);
                if (rc >= 0) {
                    return rc;
                }
                if (rc != -Errno.EAGAIN && rc != -Errno.EINTR) {
                    throw ErrnoException.of(operation, name, -rc);
                }
                await(readiness ? Poller.forRead() : Poller.forWrite(), operation, deadline);
            }
        } finally {
            lock.unlock();
            release();
        }
    }

    /**
     * How many bytes a read would return now without waiting, as the kernel counts them
     * ({@code FIONREAD}): for a reader that sizes its buffer by what has arrived. 0 where the
     * kernel does not say (a descriptor type without the ioctl), as if nothing had arrived.
     *
     * @throws ClosedChannelException if the descriptor is closed
     */
    public int availableBytes() throws IOException {
        int[] count = new int[1];
        int rc = withFd(fd -> Libc.ioctl(fd, FIONREAD, MemorySegment.ofArray(count)));
        return rc < 0 ? 0 : Math.max(0, count[0]);
    }

    /** Runs a call that does not wait on the raw descriptor number; the number is valid only during {@code call}. */
    public int withFd(FdCall call) throws IOException {
        acquire();
        try {
            return call.apply(fd);
        } finally {
            release();
        }
    }

    /** Waits until the descriptor is writable, for example until a non-blocking connect completes. */
    public void awaitWritable(String operation, Deadline deadline) throws IOException {
        acquire();
        writeLock.lock();
        try {
            await(Poller.forWrite(), operation, deadline);
        } finally {
            writeLock.unlock();
            release();
        }
    }

    /**
     * Waits until at least one of {@code descriptors} is readable: it holds data or a pending
     * connection, or has reached end of stream, a hang-up or an error, so that a read or accept
     * returns at once. Nothing is read.
     *
     * <p>Threads wait as in every other wait of this class: a virtual thread parks, a platform
     * thread waits in poll(2) and notices an interrupt, or a close of one of the descriptors,
     * within {@link #KERNEL_WAIT_SLICE_MILLIS}.
     *
     * @return which are ready, as a bit mask (bit {@code i} for {@code descriptors[i]}); 0 if the
     *     deadline passed first
     * @throws IllegalArgumentException for no descriptors or more than {@link #MAX_AWAITED}
     * @throws AsynchronousCloseException if one of them is closed while waiting
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    public static int awaitReadable(Deadline deadline, Descriptor... descriptors) throws IOException {
        int count = descriptors.length;
        if (count == 0 || count > MAX_AWAITED) {
            throw new IllegalArgumentException("awaitReadable takes 1 to " + MAX_AWAITED + " descriptors, got " + count);
        }
        int acquired = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (Descriptor d : descriptors) {
                d.acquire();
                acquired++;
            }
            MemorySegment fds = pollSet(arena, Libc.POLLIN, descriptors);
            MemorySegment callState = Native.callState(arena);
            return Thread.currentThread().isVirtual()
                    ? parkUntilReadable(descriptors, fds, callState, deadline)
                    : pollUntilReady(descriptors, fds, callState, deadline, "wait for");
        } finally {
            for (int i = 0; i < acquired; i++) {
                descriptors[i].release();
            }
        }
    }

    /** The {@code struct pollfd} array for poll(2): each descriptor, waited on for {@code events}. */
    private static MemorySegment pollSet(Arena arena, short events, Descriptor... descriptors) {
        MemorySegment fds = arena.allocate(Libc.POLLFD_SIZE * descriptors.length, Integer.BYTES);
        for (int i = 0; i < descriptors.length; i++) {
            long slot = i * Libc.POLLFD_SIZE;
            fds.set(JAVA_INT, slot, descriptors[i].fd);
            fds.set(JAVA_SHORT, slot + Libc.POLLFD_EVENTS_OFFSET, events);
        }
        return fds;
    }

    /**
     * A platform thread: poll(2) in slices, looking for closes and interrupts between them.
     *
     * @param operation what waits, for the message of an interrupt ({@code read}, {@code wait for})
     */
    private static int pollUntilReady(Descriptor[] descriptors, MemorySegment fds, MemorySegment callState,
            Deadline deadline, String operation) throws IOException {
        while (true) {
            checkStillWaiting(descriptors, operation);
            long slice = KERNEL_WAIT_SLICE_MILLIS;
            if (!deadline.isNone()) {
                long remaining = deadline.remainingNanos();
                if (remaining <= 0) {
                    return 0;
                }
                slice = Math.min(slice, (remaining + 999_999) / 1_000_000);
            }
            int mask = readyMask(descriptors, fds, (int) slice, callState);
            if (mask != 0) {
                return mask;
            }
        }
    }

    /** A virtual thread: look without waiting, else register every descriptor with the poller and park. */
    private static int parkUntilReadable(Descriptor[] descriptors, MemorySegment fds, MemorySegment callState,
            Deadline deadline) throws IOException {
        Poller poller = Poller.forRead();
        while (true) {
            int mask = readyMask(descriptors, fds, 0, callState);
            if (mask != 0) {
                return mask;
            }
            if (deadline.hasPassed()) {
                return 0;
            }
            int registered = 0;
            try {
                for (Descriptor d : descriptors) {
                    poller.register(d.fd);
                    registered++;
                }
                checkStillWaiting(descriptors, "wait for"); // after registering, as in await
                if (deadline.isNone()) {
                    LockSupport.park(descriptors);
                } else {
                    LockSupport.parkNanos(descriptors, deadline.remainingNanos());
                }
            } finally {
                for (int i = 0; i < registered; i++) {
                    poller.unregister(descriptors[i].fd);
                }
            }
            checkStillWaiting(descriptors, "wait for");
        }
    }

    /** One poll(2) with {@code timeoutMillis}; the ready descriptors as a bit mask. */
    private static int readyMask(Descriptor[] descriptors, MemorySegment fds, int timeoutMillis,
            MemorySegment callState) throws ErrnoException {
        int rc = Libc.poll(fds, descriptors.length, timeoutMillis, callState);
        if (rc == -Errno.EINTR) {
            return 0;
        }
        ErrnoException.check(rc, "poll", descriptors[0].name);
        int mask = 0;
        for (int i = 0; rc > 0 && i < descriptors.length; i++) {
            if (fds.get(JAVA_SHORT, i * Libc.POLLFD_SIZE + Libc.POLLFD_REVENTS_OFFSET) != 0) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    private static void checkStillWaiting(Descriptor[] descriptors, String operation) throws IOException {
        for (Descriptor d : descriptors) {
            if (!d.isOpen()) {
                throw new AsynchronousCloseException();
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(operation + " " + descriptors[0].name + ": interrupted");
        }
    }

    /**
     * Closes the descriptor. Threads blocked in an operation on it wake up with
     * {@link AsynchronousCloseException}. Idempotent.
     */
    @Override
    public void close() {
        int s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, s | CLOSED));
        Poller.forRead().wakeup(fd);
        Poller.forWrite().wakeup(fd);
        release();
    }

    private void acquire() throws ClosedChannelException {
        int s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                throw new ClosedChannelException();
            }
        } while (!state.compareAndSet(s, s + 1));
    }

    private void release() {
        if (state.decrementAndGet() == CLOSED) {
            Poller.forRead().forget(fd);
            Poller.forWrite().forget(fd);
            Libc.close(fd);
        }
    }

    private void await(Poller poller, String operation, Deadline deadline) throws IOException {
        if (deadline.hasPassed()) {
            throw deadline.timedOut(operation + " " + name);
        }
        if (!Thread.currentThread().isVirtual()) {
            awaitInKernel(poller == Poller.forRead() ? Libc.POLLIN : Libc.POLLOUT, operation, deadline);
            return;
        }
        poller.register(fd);
        try {
            // Checked after registering: a close() that ran before the registration is seen
            // here, and one that runs after it finds the registration and unparks us.
            if (!isOpen()) {
                throw new AsynchronousCloseException();
            }
            if (deadline.isNone()) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, deadline.remainingNanos());
            }
        } finally {
            poller.unregister(fd);
        }
        if (!isOpen()) {
            throw new AsynchronousCloseException();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(operation + " " + name + ": interrupted");
        }
    }

    /** A platform thread's wait: poll(2) on this descriptor alone, as in {@link #awaitReadable}. */
    private void awaitInKernel(short events, String operation, Deadline deadline) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Descriptor[] alone = {this};
            pollUntilReady(alone, pollSet(arena, events, alone), Native.callState(arena), deadline, operation);
        }
    }

    @Override
    public String toString() {
        return "Descriptor[" + name + ", fd " + fd + (isOpen() ? "" : ", closed") + "]";
    }

    /** A call on a raw descriptor number that returns a result or {@code -errno}. */
    @FunctionalInterface
    public interface FdCall {
        int apply(int fd) throws IOException;
    }
}
