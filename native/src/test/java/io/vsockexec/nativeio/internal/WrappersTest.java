package io.vsockexec.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vsockexec.nativeio.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every wrapper of {@link Libc}, {@link ProcessLibc}, {@link TerminalLibc} and {@link VhostLibc}
 * reaches its C function with its arguments in place: each is called on a descriptor that is not
 * open (or another argument that must fail) and returns that function's errno, negated. A wrapper
 * that called the wrong function, dropped an argument or lost errno returns something else.
 */
class WrappersTest {
    /** errno values of x86-64 and AArch64 Linux that {@link Errno} does not name. */
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int BAD = -1;

    @Test
    void everyWrapperOfADescriptorReturnsEbadfForOneThatIsNotOpen() {
        byte[] buf = new byte[16];
        int[] ints = new int[TerminalLibc.TERMIOS_INTS];
        Map<String, IntSupplier> calls = new LinkedHashMap<>();
        calls.put("bind", () -> Libc.bind(BAD, Sockaddr.buffer()));
        calls.put("listen", () -> Libc.listen(BAD, 1));
        calls.put("accept4", () -> Libc.accept(BAD));
        calls.put("connect", () -> Libc.connect(BAD, Sockaddr.buffer()));
        calls.put("read", () -> (int) Libc.read(BAD, MemorySegment.ofArray(buf)));
        calls.put("write", () -> (int) Libc.write(BAD, MemorySegment.ofArray(buf)));
        calls.put("shutdown", () -> Libc.shutdown(BAD, Libc.SHUT_WR));
        calls.put("close", () -> Libc.close(BAD));
        calls.put("getsockname", () -> Libc.getsockname(BAD, Sockaddr.buffer()));
        calls.put("getpeername", () -> Libc.getpeername(BAD, Sockaddr.buffer()));
        calls.put("getsockopt", () -> Libc.getIntOption(BAD, Libc.SOL_SOCKET, Libc.SO_ERROR));
        calls.put("setsockopt", () -> Libc.setIntOption(BAD, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1));
        calls.put("fcntl", () -> Libc.fcntl(BAD, Libc.F_GETFL, 0));
        calls.put("ioctl", () -> Libc.ioctl(BAD, ProcessLibc.TIOCGWINSZ, MemorySegment.ofArray(buf)));
        calls.put("epoll_ctl", () -> Libc.epollCtl(BAD, Libc.EPOLL_CTL_ADD, 0, Libc.EPOLLIN));
        calls.put("inotify_add_watch", () -> Libc.inotifyAddWatch(BAD, "/", 1));
        calls.put("grantpt", () -> ProcessLibc.grantpt(BAD));
        calls.put("unlockpt", () -> ProcessLibc.unlockpt(BAD));
        calls.put("ptsname_r", () -> ProcessLibc.ptsname(BAD, buf));
        calls.put("pidfd_send_signal", () -> ProcessLibc.pidfdSendSignal(BAD, 0));
        calls.put("tcgetattr", () -> TerminalLibc.tcgetattr(BAD, ints));
        calls.put("tcsetattr", () -> TerminalLibc.tcsetattr(BAD, TerminalLibc.TCSANOW, ints));
        calls.put("ftruncate", () -> VhostLibc.ftruncate(BAD, 1));
        calls.put("mmap", () -> (int) VhostLibc.mapShared(BAD, 4096));
        calls.put("recvmsg", () -> (int) VhostLibc.receiveWithDescriptors(BAD, buf, 0, 1, new int[1], new int[2]));
        calls.put("sendmsg", () -> (int) VhostLibc.sendWithDescriptors(BAD, buf, 0, 1, new int[0]));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Libc.EPOLL_EVENT_SIZE, 8);
            calls.put("epoll_wait", () -> Libc.epollWait(BAD, events, Native.callState(arena), 0));
            for (Map.Entry<String, IntSupplier> call : calls.entrySet()) {
                assertEquals(-EBADF, call.getValue().getAsInt(), call.getKey());
            }
        }
    }

    @Test
    void everyWrapperWithoutADescriptorReturnsItsOwnFailure() {
        assertEquals(-Errno.EAFNOSUPPORT, Libc.socket(12345, Libc.SOCK_STREAM, 0), "socket");
        assertEquals(-Errno.ENOENT, Libc.open("/no/such/file", Libc.O_RDONLY, 0), "open");
        assertEquals(-EINVAL, Libc.poll(MemorySegment.NULL, -1, 0, Native.callState(Arena.ofAuto())), "poll");
        assertEquals(-EINVAL, ProcessLibc.pipe2(new int[2], -1), "pipe2");
        assertEquals(-EINVAL, ProcessLibc.kill(0, -1), "kill");
        assertEquals(-EINVAL, ProcessLibc.waitid(-1, 0, new int[ProcessLibc.SIGINFO_INTS], ProcessLibc.WNOHANG),
                "waitid");
        assertEquals(-EINVAL, ProcessLibc.pidfdOpen(-1), "pidfd_open");
        assertEquals(-EINVAL, ProcessLibc.prctl(-1, 0), "prctl");
        assertEquals(-EINVAL, ProcessLibc.prctlGetInt(-1), "prctl (pointer)");
        assertEquals(-EINVAL, VhostLibc.unmap(1, 4096), "munmap");
    }

    @Test
    void theWrappersThatMakeADescriptorMakeOne() {
        int[] pair = {-1, -1};
        assertEquals(0, VhostLibc.socketpair(pair), "socketpair");
        int[] made = {Libc.epollCreate(), Libc.inotifyInit(), VhostLibc.eventfd(), VhostLibc.memfdCreate("x"),
            ProcessLibc.posixOpenpt(Libc.O_RDWR | Libc.O_NOCTTY), Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM, 0),
            pair[0], pair[1]};
        for (int fd : made) {
            assertTrue(fd > 2, java.util.Arrays.toString(made));
            assertEquals(0, Libc.close(fd));
        }
    }

    @Test
    void theFunctionsThatCannotFailAnswer() {
        assertEquals(0, TerminalLibc.isatty(BAD));
        assertEquals(ownerOfProcSelf(), ProcessLibc.geteuid(), "geteuid");
        assertEquals("EBADF", Libc.errnoName(EBADF));
        assertEquals("Bad file descriptor", Libc.errnoDescription(EBADF));
        assertNull(Libc.errnoName(100_000));
        int[] termios = new int[TerminalLibc.TERMIOS_INTS];
        TerminalLibc.cfmakeraw(termios); // writes the raw-mode flags into the zeroed settings
        assertTrue(termios[3] == 0 && termios[2] != 0, "cfmakeraw sets CS8 and clears the local flags");
    }

    /** The effective uid, as the kernel shows it: the owner of /proc/self. */
    private static int ownerOfProcSelf() {
        try {
            return (int) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
