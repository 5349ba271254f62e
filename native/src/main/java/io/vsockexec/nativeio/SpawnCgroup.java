package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.PosixSpawn;
import java.io.Closeable;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A cgroup v2 that {@link ChildProcess#spawn} starts a child in ({@link SpawnSpec.Builder#cgroup}),
 * so that the child is in it from its first instruction, with no window in which it could fork
 * outside it.
 *
 * <p>Where libc can clone a child straight into a cgroup (glibc 2.41's
 * {@code posix_spawnattr_setcgroup_np}: {@code clone3} with {@code CLONE_INTO_CGROUP}), that is
 * how: {@link #startsInside()} is true. Elsewhere this process steps into the cgroup for the spawn
 * (a child starts in its parent's cgroup) and back into its own cgroup right after: two writes to
 * {@code cgroup.procs} whose descriptors are opened once, here. Moving the child in after the
 * spawn instead would leave it running outside until the spawning thread runs again, which on a
 * busy machine is after the scheduler gave the child a time slice: enough for a shell to fork
 * and exit, leaving an orphan outside. While this process is inside, no other spawn of this class
 * runs: a spawn into a cgroup excludes every other spawn ({@link ChildProcess#spawn} only;
 * {@link ProcessBuilder} knows nothing of this, so do not use it in the same process).
 *
 * <p>{@link #ofThisProcess} opens the cgroup this process belongs to, its home; {@link #open} one
 * to spawn into, which the spawn leaves for that home.
 */
public final class SpawnCgroup implements Closeable {
    /** Write: this process is (or may be) outside its home cgroup for a spawn. Read: any other spawn. */
    private static final ReentrantReadWriteLock AWAY = new ReentrantReadWriteLock();
    private static final byte[] SELF = {'0'};

    private final Path directory;
    private final SpawnCgroup home;
    private final int directoryFd;
    private final int procsFd;
    /** Guarded by {@link #AWAY}'s write lock. */
    private boolean closed;

    private SpawnCgroup(Path directory, SpawnCgroup home, int directoryFd, int procsFd) {
        this.directory = directory;
        this.home = home;
        this.directoryFd = directoryFd;
        this.procsFd = procsFd;
    }

    /**
     * The cgroup this process is in, whose directory is {@code ownDirectory}: where it returns
     * after a spawn into one of the cgroups {@link #open opened} from it.
     *
     * @throws ErrnoException naming the directory or its {@code cgroup.procs} if either cannot be opened
     */
    public static SpawnCgroup ofThisProcess(Path ownDirectory) throws ErrnoException {
        return openAt(ownDirectory, null);
    }

    /**
     * The cgroup whose directory is {@code directory}, to spawn children into; this process comes
     * back to this one (its own) after each such spawn.
     *
     * @throws ErrnoException naming the directory or its {@code cgroup.procs} if either cannot be opened
     * @throws IllegalStateException if this is not a cgroup {@link #ofThisProcess} opened
     */
    public SpawnCgroup open(Path directory) throws ErrnoException {
        if (home != null) {
            throw new IllegalStateException(this + " is not this process's own cgroup");
        }
        return openAt(directory, this);
    }

    private static SpawnCgroup openAt(Path directory, SpawnCgroup home) throws ErrnoException {
        Objects.requireNonNull(directory, "directory");
        int dir = ErrnoException.check(Libc.open(directory.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open",
                directory.toString());
        Path procs = directory.resolve("cgroup.procs");
        int procsFd = Libc.open(procs.toString(), Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (procsFd < 0) {
            Libc.close(dir);
            throw ErrnoException.of("open", procs.toString(), -procsFd);
        }
        return new SpawnCgroup(directory, home, dir, procsFd);
    }

    /**
     * True when this libc starts a child inside its cgroup by itself; false when this process
     * steps into the cgroup for the spawn.
     */
    public static boolean startsInside() {
        return PosixSpawn.canSpawnIntoCgroup();
    }

    /** The cgroup's directory. */
    public Path directory() {
        return directory;
    }

    /** The lock a spawn holds: exclusive for one that leaves home, shared by the others. */
    static Lock spawnLock(SpawnCgroup target) {
        return target != null && !startsInside() ? AWAY.writeLock() : AWAY.readLock();
    }

    /** The directory's descriptor, for {@code posix_spawnattr_setcgroup_np}. */
    int directoryFd() {
        return directoryFd;
    }

    /** Moves this process in, for a spawn; the caller holds {@link #spawnLock}'s exclusive lock. */
    void enter() throws ErrnoException {
        if (home == null) {
            throw new IllegalStateException(this + " is this process's own cgroup, not one to spawn into");
        }
        if (closed || home.closed) {
            throw ErrnoException.of("spawn into", directory.toString(), Errno.EBADF);
        }
        moveSelf(this);
    }

    /** Moves this process back home after {@link #enter()}. */
    void leave() throws ErrnoException {
        moveSelf(home);
    }

    private static void moveSelf(SpawnCgroup into) throws ErrnoException {
        long rc = Libc.write(into.procsFd, MemorySegment.ofArray(SELF));
        if (rc < 0) {
            throw ErrnoException.of("move this process into", into.directory.toString(), (int) -rc);
        }
    }

    /**
     * Closes both descriptors; the cgroup itself stays. Waits for a spawn that is using it (or,
     * for this process's own cgroup, any spawn away from home) to finish. Idempotent.
     */
    @Override
    public void close() {
        Lock lock = AWAY.writeLock();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                Libc.close(procsFd);
                Libc.close(directoryFd);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SpawnCgroup[" + directory + "]";
    }
}
