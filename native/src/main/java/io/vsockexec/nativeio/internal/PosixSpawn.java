package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.vsockexec.nativeio.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One {@code posix_spawn(3)} call: its attributes, its file actions and the call itself.
 *
 * <p>The opaque glibc types are allocated larger than they are on any architecture we run on
 * (glibc x86_64: attributes 336 bytes, file actions 80, sigset_t 128), so that a different libc
 * build cannot overflow them. The posix_spawn functions return an error number instead of
 * setting errno; {@link #spawn} returns it negated, and the setup calls, which can only fail for
 * lack of memory or a bad descriptor, throw.
 *
 * <p>{@code posix_spawn} is not a short call: glibc clones with {@code CLONE_VM | CLONE_VFORK}
 * and the calling thread waits until the child has run its file actions and called exec. That
 * takes a few milliseconds at most, so it is an ordinary (non-critical) call and may run on a
 * virtual thread, pinning its carrier for that long. The calls that set up attributes and file
 * actions only write memory (and allocate), so they are critical.
 */
public final class PosixSpawn implements AutoCloseable {
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final short POSIX_SPAWN_SETCGROUP = 0x100;
    private static final long ATTR_BYTES = 512;
    private static final long FILE_ACTIONS_BYTES = 256;
    private static final long SIGSET_BYTES = 128;

    // posix_spawn clones and waits for the child's exec: an ordinary call. The set-up calls only
    // write the attributes and file actions (and allocate): short, so critical.
    private static final BlockingFunction SPAWN = Native.blockingWithoutErrno("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final CriticalFunction ATTR_INIT = pointerCall("posix_spawnattr_init");
    private static final CriticalFunction ATTR_DESTROY = pointerCall("posix_spawnattr_destroy");
    private static final CriticalFunction ATTR_SETFLAGS = Native.criticalWithoutErrno("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final CriticalFunction ATTR_SETSIGDEFAULT = Native.criticalWithoutErrno(
            "posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final CriticalFunction ATTR_SETSIGMASK = Native.criticalWithoutErrno("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final CriticalFunction SIGEMPTYSET = pointerCall("sigemptyset");
    private static final CriticalFunction ACTIONS_INIT = pointerCall("posix_spawn_file_actions_init");
    private static final CriticalFunction ACTIONS_DESTROY = pointerCall("posix_spawn_file_actions_destroy");
    private static final CriticalFunction ADD_DUP2 = Native.criticalWithoutErrno("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final CriticalFunction ADD_OPEN = Native.criticalWithoutErrno("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // glibc 2.29.
    private static final CriticalFunction ADD_CHDIR = Native.criticalWithoutErrno(
            "posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // glibc 2.34; without it the child relies on every other descriptor being close-on-exec.
    private static final CriticalFunction ADD_CLOSEFROM = optional("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // glibc 2.41: the child is cloned (clone3, CLONE_INTO_CGROUP) straight into a cgroup.
    private static final CriticalFunction ATTR_SETCGROUP = optional("posix_spawnattr_setcgroup_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    private final Arena arena;
    private final MemorySegment attr;
    private final MemorySegment actions;
    private boolean attrReady;
    private boolean actionsReady;
    private short flags;

    /** Initializes empty attributes and file actions in {@code arena}; {@link #close()} destroys them. */
    public PosixSpawn(Arena arena) throws ErrnoException {
        this.arena = arena;
        this.attr = arena.allocate(ATTR_BYTES, 16);
        this.actions = arena.allocate(FILE_ACTIONS_BYTES, 16);
        check(call(ATTR_INIT, attr), "posix_spawnattr_init", null);
        attrReady = true;
        int rc = call(ACTIONS_INIT, actions);
        if (rc != 0) {
            close(); // the attributes were initialized and must not leak
            throw ErrnoException.of("posix_spawn_file_actions_init", null, rc);
        }
        actionsReady = true;
    }

    /** True when this libc can close every descriptor from a number up in the child. */
    public static boolean canCloseFrom() {
        return ADD_CLOSEFROM != null;
    }

    /** True when this libc can start the child inside a cgroup ({@link #intoCgroup}). */
    public static boolean canSpawnIntoCgroup() {
        return ATTR_SETCGROUP != null;
    }

    /**
     * Starts the child inside the cgroup v2 whose directory {@code directoryFd} is open: it is in
     * that cgroup before its first instruction. Only where {@link #canSpawnIntoCgroup()}.
     */
    public void intoCgroup(int directoryFd) throws ErrnoException {
        if (ATTR_SETCGROUP == null) {
            throw new IllegalStateException("this libc cannot spawn into a cgroup (glibc 2.41 or later can)");
        }
        check((int) ATTR_SETCGROUP.call(attr, word(directoryFd)), "posix_spawnattr_setcgroup_np", null);
        setFlags((short) (flags | POSIX_SPAWN_SETCGROUP));
    }

    /**
     * Starts the child in a new session or a new process group (its id = its pid), with every
     * signal at its default disposition and none blocked, whatever the calling JVM thread has.
     */
    public void isolate(boolean newSession) throws ErrnoException {
        short isolation = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
        isolation |= newSession ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP;
        // Every bit set by hand: glibc's sigfillset leaves out its internal signals 32 and 33,
        // and its posix_spawn then leaves those two ignored in the child, across exec.
        MemorySegment all = arena.allocate(SIGSET_BYTES, 8).fill((byte) 0xFF);
        MemorySegment none = arena.allocate(SIGSET_BYTES, 8);
        call(SIGEMPTYSET, none);
        setFlags((short) (flags | isolation));
        check((int) ATTR_SETSIGDEFAULT.call(attr, all), "posix_spawnattr_setsigdefault", null);
        check((int) ATTR_SETSIGMASK.call(attr, none), "posix_spawnattr_setsigmask", null);
        // pgroup 0 (the default after init) means "the child's own pid" for POSIX_SPAWN_SETPGROUP.
    }

    private void setFlags(short newFlags) throws ErrnoException {
        check((int) ATTR_SETFLAGS.call(attr, word(newFlags)), "posix_spawnattr_setflags", null);
        flags = newFlags;
    }

    /** The child duplicates {@code from} onto {@code to}. */
    public void dup2(int from, int to) throws ErrnoException {
        check((int) ADD_DUP2.call(actions, word(from), word(to)), "posix_spawn_file_actions_adddup2", "fd " + from);
    }

    /** The child opens {@code path} as descriptor {@code fd}. */
    public void open(int fd, String path, int flags) throws ErrnoException {
        int rc = (int) ADD_OPEN.call(actions, word(fd), CStrings.of(arena, path), word(flags), word(0));
        check(rc, "posix_spawn_file_actions_addopen", path);
    }

    /** The child changes to {@code directory}. */
    public void chdir(String directory) throws ErrnoException {
        check((int) ADD_CHDIR.call(actions, CStrings.of(arena, directory)), "posix_spawn_file_actions_addchdir_np",
                directory);
    }

    /** The child closes every descriptor from {@code lowest} up; does nothing without {@link #canCloseFrom()}. */
    public void closeFrom(int lowest) throws ErrnoException {
        if (ADD_CLOSEFROM == null) {
            return;
        }
        check((int) ADD_CLOSEFROM.call(actions, word(lowest)), "posix_spawn_file_actions_addclosefrom_np", null);
    }

    /**
     * Spawns {@code path} with {@code argv} and {@code environment} ({@code NAME=value} entries).
     *
     * @return the child's pid, or {@code -error} (from exec, a file action or clone)
     */
    public int spawn(String path, List<String> argv, List<String> environment) {
        MemorySegment pid = arena.allocate(JAVA_INT);
        int error = (int) SPAWN.call(Native.callState(arena), pid, CStrings.of(arena, path), actions, attr,
                strings(argv), strings(environment));
        return error != 0 ? -error : pid.get(JAVA_INT, 0);
    }

    /** A NULL-terminated array of C strings. */
    private MemorySegment strings(List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, CStrings.of(arena, values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    @Override
    public void close() {
        if (actionsReady) {
            actionsReady = false;
            call(ACTIONS_DESTROY, actions);
        }
        if (attrReady) {
            attrReady = false;
            call(ATTR_DESTROY, attr);
        }
    }

    private static void check(int error, String operation, String target) throws ErrnoException {
        if (error != 0) {
            throw ErrnoException.of(operation, target, error);
        }
    }

    private static int call(CriticalFunction f, MemorySegment pointer) {
        return (int) f.call(pointer);
    }

    /** A function of one pointer that returns 0 or an error number. */
    private static CriticalFunction pointerCall(String name) {
        return Native.criticalWithoutErrno(name, FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static CriticalFunction optional(String name, FunctionDescriptor descriptor) {
        try {
            return Native.criticalWithoutErrno(name, descriptor);
        } catch (UnsatisfiedLinkError absent) {
            return null;
        }
    }
}
