package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** mount(2), for the file systems the agent mounts itself where nobody has (cgroup2), or remounts. */
public final class MountLibc {
    // A blocking call: mounting may wait on the kernel (a cgroup2 remount waits for an RCU grace
    // period). Called through the shared shape (Shapes).
    private static final BlockingFunction MOUNT = Native.blocking("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

    private MountLibc() {}

    /**
     * mount(2); {@code data}, the file system's own options, may be null, and so may
     * {@code source} and {@code type} for a remount. Returns 0 or -errno.
     */
    public static int mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) MOUNT.call(Native.callState(arena), orNull(arena, source), CStrings.of(arena, target),
                    orNull(arena, type), Native.word(flags), orNull(arena, data));
        }
    }

    private static MemorySegment orNull(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : CStrings.of(arena, s);
    }
}
