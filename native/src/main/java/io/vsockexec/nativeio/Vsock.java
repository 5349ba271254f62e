package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** Facts about this machine's VM sockets. */
public final class Vsock {
    /** {@code IOCTL_VM_SOCKETS_GET_LOCAL_CID} from {@code <linux/vm_sockets.h>}. */
    static final long IOCTL_VM_SOCKETS_GET_LOCAL_CID = 0x7B9;
    private static final String DEVICE = "/dev/vsock";

    private Vsock() {}

    /**
     * The context id of this machine, as the kernel reports it through {@code /dev/vsock}.
     *
     * @throws VsockUnavailableException if there is no vsock device
     */
    public static long localCid() throws IOException {
        int fd = Libc.open(DEVICE, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) {
            if (fd == -Errno.ENOENT || fd == -Errno.ENODEV) {
                throw unavailable(-fd);
            }
            throw ErrnoException.of("open", DEVICE, -fd);
        }
        try {
            int[] cid = new int[1];
            ErrnoException.check(Libc.ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, MemorySegment.ofArray(cid)),
                    "ioctl IOCTL_VM_SOCKETS_GET_LOCAL_CID", DEVICE);
            return Integer.toUnsignedLong(cid[0]);
        } finally {
            Libc.close(fd);
        }
    }

    private static VsockUnavailableException unavailable(int errno) {
        return new VsockUnavailableException("open", DEVICE, errno,
                "open " + DEVICE + ": " + ErrnoException.errnoText(errno)
                        + "; AF_VSOCK is not available on this machine (is the vsock module loaded?)");
    }
}
