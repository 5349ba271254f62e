package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;

/**
 * The libc calls behind descriptors and sockets. Every wrapper returns the call's result when
 * it is non-negative and {@code -errno} when the call failed, so that the hot path (EAGAIN on a
 * non-blocking descriptor) throws nothing; callers turn a negative result into a typed exception
 * with {@link io.vsockexec.nativeio.ErrnoException#of}.
 */
public final class Libc {
    // Values shared by x86_64 and aarch64 Linux.
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_VSOCK = 40;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    /** poll(2): readable; hang-up and errors are always reported too. */
    public static final short POLLIN = 0x1;
    /** poll(2): writable. */
    public static final short POLLOUT = 0x4;
    /** The size of {@code struct pollfd}: int fd, short events, short revents. */
    public static final long POLLFD_SIZE = 8;
    public static final long POLLFD_EVENTS_OFFSET = 4;
    public static final long POLLFD_REVENTS_OFFSET = 6;

    // Each function is a symbol and its C signature: the calls share two downcall shapes
    // (Shapes), linked at the first call of each, so declaring them costs a lookup each.
    private static final CriticalFunction SOCKET = Native.critical("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final CriticalFunction BIND = Native.critical("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final CriticalFunction LISTEN = Native.critical("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final CriticalFunction ACCEPT4 = Native.critical("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final CriticalFunction CONNECT = Native.critical("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final CriticalFunction READ = Native.critical("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final CriticalFunction PREAD = Native.critical("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final CriticalFunction WRITE = Native.critical("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final CriticalFunction SHUTDOWN = Native.critical("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final CriticalFunction CLOSE = Native.critical("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final CriticalFunction GETSOCKNAME = Native.critical("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final CriticalFunction GETPEERNAME = Native.critical("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final CriticalFunction GETSOCKOPT = Native.critical("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final CriticalFunction SETSOCKOPT = Native.critical("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final CriticalFunction FCNTL = Native.critical("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final CriticalFunction IOCTL = Native.critical("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final BlockingFunction OPEN = Native.blocking("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final CriticalFunction EPOLL_CREATE1 = Native.critical("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final CriticalFunction EPOLL_CTL = Native.critical("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    // Not critical: it blocks, on the poller's own platform thread.
    private static final BlockingFunction EPOLL_WAIT = Native.blocking("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final CriticalFunction INOTIFY_INIT1 = Native.critical("inotify_init1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final BlockingFunction INOTIFY_ADD_WATCH = Native.blocking("inotify_add_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // Not critical: it blocks, and only platform threads call it with a timeout.
    private static final BlockingFunction POLL = Native.blocking("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final CriticalFunction STRERRORNAME = Native.criticalWithoutErrno("strerrorname_np",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final CriticalFunction STRERRORDESC = Native.criticalWithoutErrno("strerrordesc_np",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    public static int socket(int domain, int type, int protocol) {
        return (int) SOCKET.call(word(domain), word(type), word(protocol));
    }

    public static int bind(int fd, MemorySegment addr) {
        return (int) BIND.call(word(fd), addr, word(addr.byteSize()));
    }

    public static int listen(int fd, int backlog) {
        return (int) LISTEN.call(word(fd), word(backlog));
    }

    /** accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; the peer address is not asked for. */
    public static int accept(int fd) {
        return (int) ACCEPT4.call(word(fd), MemorySegment.NULL, MemorySegment.NULL, word(SOCK_NONBLOCK | SOCK_CLOEXEC));
    }

    public static int connect(int fd, MemorySegment addr) {
        return (int) CONNECT.call(word(fd), addr, word(addr.byteSize()));
    }

    /** read(2) into a heap or native segment. */
    public static long read(int fd, MemorySegment buf) {
        return READ.call(word(fd), buf, word(buf.byteSize()));
    }

    /** pread(2) into a heap or native segment, from {@code offset}. */
    public static long pread(int fd, MemorySegment buf, long offset) {
        return PREAD.call(word(fd), buf, word(buf.byteSize()), word(offset));
    }

    /** write(2) from a heap or native segment. */
    public static long write(int fd, MemorySegment buf) {
        return WRITE.call(word(fd), buf, word(buf.byteSize()));
    }

    public static int shutdown(int fd, int how) {
        return (int) SHUTDOWN.call(word(fd), word(how));
    }

    public static int close(int fd) {
        return (int) CLOSE.call(word(fd));
    }

    /** getsockname(2) into {@code addr}; returns the address length or -errno. */
    public static int getsockname(int fd, MemorySegment addr) {
        return sockName(GETSOCKNAME, fd, addr);
    }

    /** getpeername(2) into {@code addr}; returns the address length or -errno. */
    public static int getpeername(int fd, MemorySegment addr) {
        return sockName(GETPEERNAME, fd, addr);
    }

    private static int sockName(CriticalFunction f, int fd, MemorySegment addr) {
        int[] len = {(int) addr.byteSize()};
        int rc = (int) f.call(word(fd), addr, MemorySegment.ofArray(len));
        return rc < 0 ? rc : len[0];
    }

    /** getsockopt for an int option; returns the value or -errno. */
    public static int getIntOption(int fd, int level, int name) {
        int[] value = new int[1];
        int[] len = {Integer.BYTES};
        int rc = (int) GETSOCKOPT.call(word(fd), word(level), word(name), MemorySegment.ofArray(value),
                MemorySegment.ofArray(len));
        return rc < 0 ? rc : value[0];
    }

    /** setsockopt for an int option; returns 0 or -errno. */
    public static int setIntOption(int fd, int level, int name, int value) {
        return (int) SETSOCKOPT.call(word(fd), word(level), word(name), MemorySegment.ofArray(new int[] {value}),
                word(Integer.BYTES));
    }

    public static int fcntl(int fd, int cmd, int arg) {
        return (int) FCNTL.call(word(fd), word(cmd), word(arg));
    }

    /** ioctl with a pointer argument (heap or native segment). */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        return (int) IOCTL.call(word(fd), word(request), arg);
    }

    /** open(2); returns the descriptor or -errno. */
    public static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.call(Native.callState(arena), CStrings.of(arena, path), word(flags), word(mode));
        }
    }

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLONESHOT = 1 << 30;
    /** struct epoll_event is packed on x86_64 (12 bytes) and naturally aligned elsewhere (16 bytes). */
    public static final boolean EPOLL_PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    public static final long EPOLL_EVENT_SIZE = EPOLL_PACKED ? 12 : 16;
    public static final long EPOLL_DATA_OFFSET = EPOLL_PACKED ? 4 : 8;

    public static int epollCreate() {
        return (int) EPOLL_CREATE1.call(word(O_CLOEXEC));
    }

    /** epoll_ctl with the descriptor number itself as the event's data; returns 0 or -errno. */
    public static int epollCtl(int epfd, int op, int fd, int events) {
        MemorySegment event = MemorySegment.ofArray(new byte[(int) EPOLL_EVENT_SIZE]);
        event.set(JAVA_INT_UNALIGNED, 0, events);
        event.set(JAVA_LONG_UNALIGNED, EPOLL_DATA_OFFSET, fd);
        return (int) EPOLL_CTL.call(word(epfd), word(op), word(fd), event);
    }

    /** epoll_wait into a native array of events; returns the count or -errno. Blocks. */
    public static int epollWait(int epfd, MemorySegment events, MemorySegment callState, int timeoutMillis) {
        int max = (int) (events.byteSize() / EPOLL_EVENT_SIZE);
        return (int) EPOLL_WAIT.call(callState, word(epfd), events, word(max), word(timeoutMillis));
    }

    /** inotify_init1(2), non-blocking and close-on-exec; returns the descriptor or -errno. */
    public static int inotifyInit() {
        return (int) INOTIFY_INIT1.call(word(O_NONBLOCK | O_CLOEXEC));
    }

    /** inotify_add_watch(2) for {@code path} (no NUL); returns the watch number or -errno. */
    public static int inotifyAddWatch(int fd, String path, int mask) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) INOTIFY_ADD_WATCH.call(Native.callState(arena), word(fd), CStrings.of(arena, path),
                    word(mask));
        }
    }

    /**
     * poll(2) on {@code count} {@code struct pollfd} in {@code fds}; returns how many are ready, 0 on
     * timeout, or -errno.
     */
    public static int poll(MemorySegment fds, int count, int timeoutMillis, MemorySegment callState) {
        return (int) POLL.call(callState, fds, word(count), word(timeoutMillis));
    }

    /** The symbolic name of an errno value, such as {@code ECONNRESET}; null when unknown. */
    public static String errnoName(int errno) {
        return cString(STRERRORNAME.call(word(errno)));
    }

    /** The description of an errno value, such as {@code Connection reset by peer}; null when unknown. */
    public static String errnoDescription(int errno) {
        return cString(STRERRORDESC.call(word(errno)));
    }

    /** The NUL-terminated string at {@code address}, which libc keeps for good; null for NULL. */
    private static String cString(long address) {
        return address == 0 ? null : CStrings.read(MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE));
    }
}
