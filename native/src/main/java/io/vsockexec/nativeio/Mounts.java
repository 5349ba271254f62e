package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.MountLibc;
import java.nio.file.Path;

/** Mounting a file system, for an agent that finds one it needs unmounted (it may be its VM's init). */
public final class Mounts {
    private Mounts() {}

    /**
     * Mounts the cgroup v2 hierarchy at {@code target}, an existing directory. Needs root
     * (CAP_SYS_ADMIN).
     *
     * @throws ErrnoException naming the target, e.g. {@code mount cgroup2 /sys/fs/cgroup: EPERM (...)}
     */
    public static void mountCgroup2(Path target) throws ErrnoException {
        ErrnoException.check(MountLibc.mount("cgroup2", target.toString(), "cgroup2"), "mount cgroup2",
                target.toString());
    }
}
