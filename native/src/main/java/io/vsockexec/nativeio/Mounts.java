package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.MountLibc;
import java.nio.file.Path;
import java.util.Set;

/**
 * Mounting a file system, for an agent that finds one it needs unmounted (it may be its VM's
 * init), and remounting one with other options. Both need root (CAP_SYS_ADMIN).
 */
public final class Mounts {
    private Mounts() {}

    /**
     * Mounts the cgroup v2 hierarchy at {@code target}, an existing directory.
     *
     * @param options cgroup2's own options, comma-separated (e.g. {@code favordynmods}); null for none
     * @throws ErrnoException naming the target, e.g. {@code mount cgroup2 /sys/fs/cgroup: EPERM (...)};
     *     EINVAL for an option the kernel does not know
     */
    public static void mountCgroup2(Path target, String options) throws ErrnoException {
        ErrnoException.check(MountLibc.mount("cgroup2", target.toString(), "cgroup2", 0L, options),
                "mount cgroup2", target.toString());
    }

    /**
     * Remounts the mount at {@code target} ({@code MS_REMOUNT}) with these per-mount flags and
     * file-system options, which replace the present ones: whatever is left out is cleared, but
     * the access-time flags, which stay as they are when none is given.
     *
     * @param options the file system's own options, comma-separated; null for none
     * @throws ErrnoException naming the target, e.g. {@code remount /sys/fs/cgroup: EINVAL (...)}
     */
    public static void remount(Path target, Set<MountFlag> flags, String options) throws ErrnoException {
        long bits = MountFlag.REMOUNT;
        for (MountFlag f : flags) {
            bits |= f.bit();
        }
        ErrnoException.check(MountLibc.mount(null, target.toString(), null, bits, options), "remount",
                target.toString());
    }
}
