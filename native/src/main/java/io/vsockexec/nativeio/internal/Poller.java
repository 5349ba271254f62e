package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 *
 * <p><b>Started on first use.</b> A poller creates its epoll instance and its thread at the first
 * registration: a process whose threads never wait on it (the command line's exec, on one platform
 * thread) has neither. <b>Quiet at exit.</b> HotSpot, as it exits, waits up to 300 ms for every
 * thread that is inside a native call, and a poller is inside {@code epoll_wait} nearly always.
 * So a shutdown hook wakes the pollers for good: from then on each looks without waiting and
 * sleeps a millisecond in Java between looks, still serving the other shutdown hooks' waits, and
 * the JVM exits at once.
 */
public final class Poller {
    private static final int MAX_EVENTS = 256;
    /** Between two looks once the JVM shuts down: short enough for the other hooks' waits. */
    private static final long QUIET_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Poller READ = new Poller("read", Libc.EPOLLIN | Libc.EPOLLRDHUP);
    private static final Poller WRITE = new Poller("write", Libc.EPOLLOUT);
    /** Guards starting, the hook and quieting; set once the JVM shuts down. */
    private static final Object LIFECYCLE = new Object();
    private static boolean hookInstalled;
    private static volatile boolean quiet;

    private final String name;
    private final int interest;
    private final ConcurrentHashMap<Integer, Thread> waiters = new ConcurrentHashMap<>();
    private final Set<Integer> added = ConcurrentHashMap.newKeySet();
    private volatile int epfd = -1;

    private Poller(String name, int interest) {
        this.name = name;
        this.interest = interest;
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
        int ep = started();
        waiters.put(fd, Thread.currentThread());
        int events = interest | Libc.EPOLLONESHOT;
        int rc;
        if (added.add(fd)) {
            rc = Libc.epollCtl(ep, Libc.EPOLL_CTL_ADD, fd, events);
        } else {
            rc = Libc.epollCtl(ep, Libc.EPOLL_CTL_MOD, fd, events);
            if (rc == -Errno.ENOENT) {
                rc = Libc.epollCtl(ep, Libc.EPOLL_CTL_ADD, fd, events);
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
        // Only a started poller has added anything.
        if (added.remove(fd)) {
            Libc.epollCtl(epfd, Libc.EPOLL_CTL_DEL, fd, 0);
        }
    }

    /** The epoll instance, created with the thread that waits on it at the first call. */
    private int started() throws ErrnoException {
        int ep = epfd;
        if (ep >= 0) {
            return ep;
        }
        synchronized (LIFECYCLE) {
            if (epfd < 0) {
                int fd = Libc.epollCreate();
                if (fd < 0) {
                    throw ErrnoException.of("epoll_create1", "the " + name + " poller", -fd);
                }
                installHook();
                epfd = fd;
                Thread.ofPlatform().name("vsockexec-poller-" + name).daemon().start(this::loop);
            }
            return epfd;
        }
    }

    /** Once per process: the hook that quiets the pollers as the JVM shuts down. */
    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("vsockexec-poller-quiet")
                    .unstarted(Poller::quietAll));
        } catch (IllegalStateException shuttingDown) {
            quiet = true; // a poller started by another shutdown hook never waits without end
        }
    }

    /**
     * Wakes the started pollers out of {@code epoll_wait} for good: a new pipe with a byte in it,
     * added to each epoll instance, keeps them readable. If the pipe cannot be made, the pollers
     * wait on as before and the JVM waits for them at exit.
     */
    static void quietAll() {
        synchronized (LIFECYCLE) {
            quiet = true;
            int[] pipe = new int[2];
            if (ProcessLibc.pipe2(pipe, Libc.O_CLOEXEC) < 0) {
                return;
            }
            for (Poller p : new Poller[] {READ, WRITE}) {
                if (p.epfd >= 0) {
                    Libc.epollCtl(p.epfd, Libc.EPOLL_CTL_ADD, pipe[0], Libc.EPOLLIN);
                }
            }
            Libc.write(pipe[1], MemorySegment.ofArray(new byte[1]));
        }
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Libc.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
            MemorySegment callState = Native.callState(arena);
            while (!quiet) {
                pollOnce(events, callState, -1);
            }
            while (true) {
                pollOnce(events, callState, 0);
                LockSupport.parkNanos(QUIET_NAP_NANOS);
            }
        }
    }

    /**
     * One wait and its wake-ups. A method of its own, not the body of the endless loop: the JIT
     * compiles a method after a few hundred calls, but a loop that never returns only after tens
     * of thousands of iterations (on-stack replacement), and until then every event was handled
     * by the interpreter.
     */
    private void pollOnce(MemorySegment events, MemorySegment callState, int timeoutMillis) {
        int n = Libc.epollWait(epfd, events, callState, timeoutMillis);
        for (int i = 0; i < n; i++) {
            long base = i * Libc.EPOLL_EVENT_SIZE;
            int fd = (int) events.get(JAVA_LONG_UNALIGNED, base + Libc.EPOLL_DATA_OFFSET);
            wakeup(fd);
        }
        // n < 0 can only be EINTR here: the caller waits again.
    }
}
