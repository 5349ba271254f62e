package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks threads until a non-blocking descriptor is ready, so that blocking-style code (virtual
 * threads included) never blocks inside a native call.
 *
 * <p>One platform thread per direction waits in {@code epoll_wait}; a thread that saw EAGAIN
 * {@linkplain #register registers} its descriptor (one-shot) and parks, and the poller thread
 * unparks it when the descriptor is ready. Two instances exist, one for reading and one for
 * writing, because a descriptor is read and written by different threads at once and epoll
 * allows one interest set per descriptor and instance. Wake-ups may be spurious: a waiter always
 * retries its call and registers again on EAGAIN.
 */
public final class Poller {
    private static final int MAX_EVENTS = 256;
    private static final Poller READ = new Poller("read", Libc.EPOLLIN | Libc.EPOLLRDHUP);
    private static final Poller WRITE = new Poller("write", Libc.EPOLLOUT);

    private final int epfd;
    private final int interest;
    private final ConcurrentHashMap<Integer, Thread> waiters = new ConcurrentHashMap<>();
    private final Set<Integer> added = ConcurrentHashMap.newKeySet();

    private Poller(String name, int interest) {
        this.interest = interest;
        int fd = Libc.epollCreate();
        if (fd < 0) {
            throw new ExceptionInInitializerError(ErrnoException.of("epoll_create1", null, -fd));
        }
        this.epfd = fd;
        Thread.ofPlatform().name("vsockexec-poller-" + name).daemon().start(this::loop);
    }

    /** The poller for readability (and accept, and hang-up). */
    public static Poller forRead() {
        return READ;
    }

    /** The poller for writability (and connect completion). */
    public static Poller forWrite() {
        return WRITE;
    }

    /**
     * Arms a one-shot wake-up of the current thread for when {@code fd} is ready. The caller
     * then parks; it must call {@link #unregister} afterwards, woken or not.
     */
    public void register(int fd) throws ErrnoException {
        waiters.put(fd, Thread.currentThread());
        int events = interest | Libc.EPOLLONESHOT;
        int rc;
        if (added.add(fd)) {
            rc = Libc.epollCtl(epfd, Libc.EPOLL_CTL_ADD, fd, events);
        } else {
            rc = Libc.epollCtl(epfd, Libc.EPOLL_CTL_MOD, fd, events);
            if (rc == -Errno.ENOENT) {
                rc = Libc.epollCtl(epfd, Libc.EPOLL_CTL_ADD, fd, events);
            }
        }
        if (rc < 0) {
            waiters.remove(fd, Thread.currentThread());
            throw ErrnoException.of("epoll_ctl", "fd " + fd, -rc);
        }
    }

    /** Forgets the current thread's registration for {@code fd}. */
    public void unregister(int fd) {
        waiters.remove(fd, Thread.currentThread());
    }

    /** Wakes whoever waits on {@code fd}: used when the descriptor is being closed. */
    public void wakeup(int fd) {
        Thread t = waiters.remove(fd);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Drops {@code fd} from the interest set; call before the descriptor is closed. */
    public void forget(int fd) {
        if (added.remove(fd)) {
            Libc.epollCtl(epfd, Libc.EPOLL_CTL_DEL, fd, 0);
        }
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Libc.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
            MemorySegment callState = Native.callState(arena);
            while (true) {
                pollOnce(events, callState);
            }
        }
    }

    /**
     * One wait and its wake-ups. A method of its own, not the body of the endless loop: the JIT
     * compiles a method after a few hundred calls, but a loop that never returns only after tens
     * of thousands of iterations (on-stack replacement), and until then every event was handled
     * by the interpreter.
     */
    private void pollOnce(MemorySegment events, MemorySegment callState) {
        int n = Libc.epollWait(epfd, events, callState, -1);
        for (int i = 0; i < n; i++) {
            long base = i * Libc.EPOLL_EVENT_SIZE;
            int fd = (int) events.get(JAVA_LONG_UNALIGNED, base + Libc.EPOLL_DATA_OFFSET);
            wakeup(fd);
        }
        // n < 0 can only be EINTR here: the caller waits again.
    }
}
