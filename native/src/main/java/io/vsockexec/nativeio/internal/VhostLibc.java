package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The libc calls a device back-end needs: shared memory (mmap, memfd), event descriptors, socket
 * pairs and descriptors passed over Unix sockets ({@code SCM_RIGHTS}). Like {@link Libc}, every
 * wrapper returns its result when non-negative and {@code -errno} on failure; mmap, whose result
 * is an address, returns the address or {@code -errno} (user addresses are never negative).
 */
public final class VhostLibc {
    // Values shared by x86_64 and aarch64 Linux.
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int MFD_CLOEXEC = 0x1;
    public static final int SCM_RIGHTS = 1;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    // The C structs as the linker lays them out on LP64 Linux, so that no offset is counted by hand.
    private static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    private static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** {@code struct cmsghdr}: the data (here descriptors) follows it, 8-byte aligned. */
    private static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"));
    private static final long CMSG_HEADER = CMSGHDR.byteSize();

    private static final BlockingFunction MMAP = Native.blocking("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final BlockingFunction MUNMAP = Native.blocking("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final CriticalFunction EVENTFD = Native.critical("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final CriticalFunction SOCKETPAIR = Native.critical("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final BlockingFunction MEMFD_CREATE = Native.blocking("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final CriticalFunction FTRUNCATE = Native.critical("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    // Not critical: the message header points into native memory of its own.
    private static final BlockingFunction RECVMSG = Native.blocking("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final BlockingFunction SENDMSG = Native.blocking("sendmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private VhostLibc() {}

    /**
     * mmap(2) of {@code length} bytes of {@code fd} from offset 0, shared, readable and writable.
     *
     * @return the address, or {@code -errno}
     */
    public static long mapShared(int fd, long length) {
        try (Arena arena = Arena.ofConfined()) {
            return MMAP.call(Native.callState(arena), MemorySegment.NULL, word(length),
                    word(PROT_READ | PROT_WRITE), word(MAP_SHARED), word(fd), word(0));
        }
    }

    /** munmap(2); 0 or -errno. */
    public static int unmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) MUNMAP.call(Native.callState(arena), word(address), word(length));
        }
    }

    /** eventfd(2) starting at 0, non-blocking and close-on-exec; the descriptor or -errno. */
    public static int eventfd() {
        return (int) EVENTFD.call(word(0), word(EFD_NONBLOCK | EFD_CLOEXEC));
    }

    /** socketpair(2) of non-blocking, close-on-exec Unix stream sockets into {@code fds}; 0 or -errno. */
    public static int socketpair(int[] fds) {
        int type = Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
        return (int) SOCKETPAIR.call(word(Libc.AF_UNIX), word(type), word(0), MemorySegment.ofArray(fds));
    }

    /** memfd_create(2), close-on-exec; the descriptor or -errno. */
    public static int memfdCreate(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) MEMFD_CREATE.call(Native.callState(arena), CStrings.of(arena, name), word(MFD_CLOEXEC));
        }
    }

    /** ftruncate(2); 0 or -errno. */
    public static int ftruncate(int fd, long length) {
        return (int) FTRUNCATE.call(word(fd), word(length));
    }

    /**
     * recvmsg(2) of up to {@code buffer.length} bytes and up to {@code fds.length} descriptors
     * (received close-on-exec). {@code fdCount[0]} receives the number of descriptors; a message
     * that carried more than fit is reported through {@code fdCount[1]} = 1 (the kernel closes the
     * surplus).
     *
     * @return the number of bytes, 0 at end of stream, or -errno
     */
    public static long receiveWithDescriptors(int fd, byte[] buffer, int off, int len, int[] fds, int[] fdCount) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, len));
            long controlSize = controlSpace(fds.length);
            MemorySegment control = arena.allocate(controlSize, 8);
            MemorySegment msg = message(arena, data, len, control, controlSize);
            long n = RECVMSG.call(Native.callState(arena), word(fd), msg, word(MSG_CMSG_CLOEXEC));
            if (n < 0) {
                return n;
            }
            MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, buffer, off, (int) n);
            fdCount[0] = collectRights(control, msg.get(JAVA_LONG, offset(MSGHDR, "msg_controllen")), fds);
            fdCount[1] = (msg.get(JAVA_INT, offset(MSGHDR, "msg_flags")) & MSG_CTRUNC) != 0 ? 1 : 0;
            return n;
        }
    }

    /**
     * sendmsg(2) of {@code len} bytes with {@code fds} attached (none if empty), without SIGPIPE.
     *
     * @return the number of bytes sent, or -errno
     */
    public static long sendWithDescriptors(int fd, byte[] buffer, int off, int len, int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, len));
            MemorySegment.copy(buffer, off, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, len);
            long controlSize = fds.length == 0 ? 0 : controlSpace(fds.length);
            MemorySegment control = controlSize == 0 ? MemorySegment.NULL : arena.allocate(controlSize, 8);
            if (controlSize != 0) {
                control.set(JAVA_LONG, offset(CMSGHDR, "cmsg_len"), CMSG_HEADER + 4L * fds.length);
                control.set(JAVA_INT, offset(CMSGHDR, "cmsg_level"), Libc.SOL_SOCKET);
                control.set(JAVA_INT, offset(CMSGHDR, "cmsg_type"), SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(JAVA_INT, CMSG_HEADER + 4L * i, fds[i]);
                }
            }
            MemorySegment msg = message(arena, data, len, control, controlSize);
            return SENDMSG.call(Native.callState(arena), word(fd), msg, word(MSG_NOSIGNAL));
        }
    }

    /** CMSG_SPACE for {@code count} descriptors: the header and the data, rounded up to 8 bytes. */
    private static long controlSpace(int count) {
        return CMSG_HEADER + ((4L * Math.max(1, count) + 7) & ~7L);
    }

    private static MemorySegment message(Arena arena, MemorySegment data, int len, MemorySegment control,
            long controlSize) {
        MemorySegment iov = arena.allocate(IOVEC);
        iov.set(ADDRESS, offset(IOVEC, "iov_base"), data);
        iov.set(JAVA_LONG, offset(IOVEC, "iov_len"), len);
        MemorySegment msg = arena.allocate(MSGHDR);
        msg.set(ADDRESS, offset(MSGHDR, "msg_iov"), iov);
        msg.set(JAVA_LONG, offset(MSGHDR, "msg_iovlen"), 1L);
        msg.set(ADDRESS, offset(MSGHDR, "msg_control"), control);
        msg.set(JAVA_LONG, offset(MSGHDR, "msg_controllen"), controlSize);
        return msg;
    }

    /** Where {@code field} starts in {@code struct}, in bytes. */
    private static long offset(StructLayout struct, String field) {
        return StructOffsets.of(struct, field);
    }

    /**
     * The descriptors in the SCM_RIGHTS messages of a received control buffer of {@code length}
     * bytes, into {@code fds}; any beyond its room are closed.
     */
    private static int collectRights(MemorySegment control, long length, int[] fds) {
        int count = 0;
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLen = control.get(JAVA_LONG, offset);
            if (cmsgLen < CMSG_HEADER || offset + cmsgLen > length) {
                break;
            }
            if (control.get(JAVA_INT, offset + offset(CMSGHDR, "cmsg_level")) == Libc.SOL_SOCKET
                    && control.get(JAVA_INT, offset + offset(CMSGHDR, "cmsg_type")) == SCM_RIGHTS) {
                for (long p = offset + CMSG_HEADER; p + 4 <= offset + cmsgLen; p += 4) {
                    int received = control.get(JAVA_INT, p);
                    if (count < fds.length) {
                        fds[count++] = received;
                    } else {
                        Libc.close(received);
                    }
                }
            }
            offset += (cmsgLen + 7) & ~7L;
        }
        return count;
    }
}
