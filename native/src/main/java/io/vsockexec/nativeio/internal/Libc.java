package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

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

    // Each function is bound in a holder class of its own, on first use: binding builds a
    // downcall stub and its method-handle classes, which costs milliseconds each, and an
    // agent that starts only needs a handful of them. A static final handle still
    // constant-folds once its holder is initialized.
    private static final class Socket {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Bind {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Listen {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("listen",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Accept4 {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    private static final class Connect {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Read {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Write {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Shutdown {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("shutdown",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Close {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Getsockname {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("getsockname",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Getpeername {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("getpeername",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Getsockopt {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Setsockopt {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Fcntl {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class IoctlPtr {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    private static final class Open {
        static final MethodHandle HANDLE = Native.errnoFunction("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class EpollCreate1 {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("epoll_create1",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class EpollCtl {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    // Not critical: it blocks, on the poller's own platform thread.
    private static final class EpollWait {
        static final MethodHandle HANDLE = Native.errnoFunction("epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    private static final class InotifyInit1 {
        static final MethodHandle HANDLE = Native.criticalErrnoFunction("inotify_init1",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class InotifyAddWatch {
        static final MethodHandle HANDLE = Native.errnoFunction("inotify_add_watch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    // Not critical: it blocks, and only platform threads call it with a timeout.
    private static final class Poll {
        static final MethodHandle HANDLE = Native.errnoFunction("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private static final class Strerrorname {
        static final MethodHandle HANDLE = Native.function("strerrorname_np",
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private static final class Strerrordesc {
        static final MethodHandle HANDLE = Native.function("strerrordesc_np",
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private Libc() {}

    public static int socket(int domain, int type, int protocol) {
        try {
            return (int) Socket.HANDLE.invokeExact(domain, type, protocol);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int bind(int fd, MemorySegment addr) {
        try {
            return (int) Bind.HANDLE.invokeExact(fd, addr, (int) addr.byteSize());
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int listen(int fd, int backlog) {
        try {
            return (int) Listen.HANDLE.invokeExact(fd, backlog);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; the peer address is not asked for. */
    public static int accept(int fd) {
        try {
            return (int) Accept4.HANDLE.invokeExact(fd, MemorySegment.NULL, MemorySegment.NULL,
                    SOCK_NONBLOCK | SOCK_CLOEXEC);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int connect(int fd, MemorySegment addr) {
        try {
            return (int) Connect.HANDLE.invokeExact(fd, addr, (int) addr.byteSize());
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** read(2) into a heap or native segment. */
    public static long read(int fd, MemorySegment buf) {
        try {
            return (long) Read.HANDLE.invokeExact(fd, buf, buf.byteSize());
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** write(2) from a heap or native segment. */
    public static long write(int fd, MemorySegment buf) {
        try {
            return (long) Write.HANDLE.invokeExact(fd, buf, buf.byteSize());
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int shutdown(int fd, int how) {
        try {
            return (int) Shutdown.HANDLE.invokeExact(fd, how);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int close(int fd) {
        try {
            return (int) Close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getsockname(2) into {@code addr}; returns the address length or -errno. */
    public static int getsockname(int fd, MemorySegment addr) {
        return sockName(Getsockname.HANDLE, fd, addr);
    }

    /** getpeername(2) into {@code addr}; returns the address length or -errno. */
    public static int getpeername(int fd, MemorySegment addr) {
        return sockName(Getpeername.HANDLE, fd, addr);
    }

    private static int sockName(MethodHandle h, int fd, MemorySegment addr) {
        int[] len = {(int) addr.byteSize()};
        try {
            int rc = (int) h.invokeExact(fd, addr, MemorySegment.ofArray(len));
            return rc < 0 ? rc : len[0];
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getsockopt for an int option; returns the value or -errno. */
    public static int getIntOption(int fd, int level, int name) {
        int[] value = new int[1];
        int[] len = {Integer.BYTES};
        try {
            int rc = (int) Getsockopt.HANDLE.invokeExact(fd, level, name,
                    MemorySegment.ofArray(value), MemorySegment.ofArray(len));
            return rc < 0 ? rc : value[0];
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** setsockopt for an int option; returns 0 or -errno. */
    public static int setIntOption(int fd, int level, int name, int value) {
        try {
            return (int) Setsockopt.HANDLE.invokeExact(fd, level, name,
                    MemorySegment.ofArray(new int[] {value}), Integer.BYTES);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int fcntl(int fd, int cmd, int arg) {
        try {
            return (int) Fcntl.HANDLE.invokeExact(fd, cmd, arg);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** ioctl with a pointer argument (heap or native segment). */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) IoctlPtr.HANDLE.invokeExact(fd, request, arg);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** open(2); returns the descriptor or -errno. */
    public static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Open.HANDLE.invokeExact(Native.callState(arena), arena.allocateFrom(path), flags, mode);
        } catch (Throwable t) {
            throw Native.unexpected(t);
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
        try {
            return (int) EpollCreate1.HANDLE.invokeExact(O_CLOEXEC);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** epoll_ctl with the descriptor number itself as the event's data; returns 0 or -errno. */
    public static int epollCtl(int epfd, int op, int fd, int events) {
        MemorySegment event = MemorySegment.ofArray(new byte[(int) EPOLL_EVENT_SIZE]);
        event.set(JAVA_INT_UNALIGNED, 0, events);
        event.set(JAVA_LONG_UNALIGNED, EPOLL_DATA_OFFSET, fd);
        try {
            return (int) EpollCtl.HANDLE.invokeExact(epfd, op, fd, event);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** epoll_wait into a native array of events; returns the count or -errno. Blocks. */
    public static int epollWait(int epfd, MemorySegment events, MemorySegment callState, int timeoutMillis) {
        try {
            int max = (int) (events.byteSize() / EPOLL_EVENT_SIZE);
            return (int) EpollWait.HANDLE.invokeExact(callState, epfd, events, max, timeoutMillis);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** inotify_init1(2), non-blocking and close-on-exec; returns the descriptor or -errno. */
    public static int inotifyInit() {
        try {
            return (int) InotifyInit1.HANDLE.invokeExact(O_NONBLOCK | O_CLOEXEC);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** inotify_add_watch(2) for {@code path} (no NUL); returns the watch number or -errno. */
    public static int inotifyAddWatch(int fd, String path, int mask) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) InotifyAddWatch.HANDLE.invokeExact(Native.callState(arena), fd, arena.allocateFrom(path), mask);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** poll(2) on {@code count} {@code struct pollfd} in {@code fds}; returns how many are ready, 0 on timeout, or -errno. */
    public static int poll(MemorySegment fds, int count, int timeoutMillis, MemorySegment callState) {
        try {
            return (int) Poll.HANDLE.invokeExact(callState, fds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The symbolic name of an errno value, such as {@code ECONNRESET}; null when unknown. */
    public static String errnoName(int errno) {
        return cString(Strerrorname.HANDLE, errno);
    }

    /** The description of an errno value, such as {@code Connection reset by peer}; null when unknown. */
    public static String errnoDescription(int errno) {
        return cString(Strerrordesc.HANDLE, errno);
    }

    private static String cString(MethodHandle h, int errno) {
        try {
            MemorySegment p = (MemorySegment) h.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
