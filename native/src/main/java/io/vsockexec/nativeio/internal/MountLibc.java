package io.vsockexec.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** mount(2), for the file systems the agent mounts itself where nobody has (cgroup2). */
public final class MountLibc {
    // A blocking call: mounting may wait on the kernel. Called through the shared shape (Shapes).
    private static final BlockingFunction MOUNT = Native.blocking("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

    private MountLibc() {}

    /** mount(2) without flags or data; returns 0 or -errno. */
    public static int mount(String source, String target, String type) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) MOUNT.call(Native.callState(arena), CStrings.of(arena, source),
                    CStrings.of(arena, target), CStrings.of(arena, type), Native.word(0), MemorySegment.NULL);
        }
    }
}
