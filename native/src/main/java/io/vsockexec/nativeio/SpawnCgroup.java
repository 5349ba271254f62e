package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.PosixSpawn;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A cgroup v2 that {@link ChildProcess#spawn} starts a child in ({@link SpawnSpec.Builder#cgroup}),
 * so that nothing the child starts can be outside it.
 *
 * <p>Where libc can clone a child straight into a cgroup (glibc 2.41's
 * {@code posix_spawnattr_setcgroup_np}: {@code clone3} with {@code CLONE_INTO_CGROUP}), that is
 * how: {@link #startsInside()} is true. Elsewhere the child is born in this process's own cgroup
 * (a child starts in its parent's), is moved into its cgroup right after the spawn, and so is
 * everything it forked before it was moved: the spawn then sweeps this process's own cgroup,
 * moving every process that was not in it before the spawn, until a read finds none. A fork and a
 * move exclude each other in the kernel, and a fork's child lands in its parent's cgroup of the
 * moment, so once a read finds nothing new nothing the child started is left behind. One that
 * cannot be moved is killed. Moving the child alone would not do: on a busy machine the scheduler
 * may run the child before the spawning thread, long enough for a shell to fork a background job
 * and exit.
 *
 * <p>For the sweep to know what is new, this process's own cgroup should hold nothing but this
 * process ({@link #moveThisProcess} puts it in a leaf of its own): a process already there that
 * forks during another's spawn would have its child taken for the spawned child's. A spawn into a
 * cgroup excludes every other spawn ({@link ChildProcess#spawn} only; {@link ProcessBuilder} knows
 * nothing of this, so do not use it in the same process).
 *
 * <p>{@link #ofThisProcess} opens the cgroup this process belongs to, its home; {@link #open} one
 * to spawn into from that home.
 */
public final class SpawnCgroup implements Closeable {
    /** Write: a spawn into a cgroup (it sweeps this process's own cgroup). Read: any other spawn. */
    private static final ReentrantReadWriteLock SWEEPING = new ReentrantReadWriteLock();

    private final Path directory;
    private final SpawnCgroup home;
    /** Its {@code cgroup.procs}: read around a spawn where this is this process's own cgroup, else written to. */
    private final String procsPath;
    private final int directoryFd;
    private final int procsFd;
    /** Guarded by {@link #SWEEPING}'s write lock. */
    private boolean closed;

    private SpawnCgroup(Path directory, SpawnCgroup home, int directoryFd, int procsFd) {
        this.directory = directory;
        this.home = home;
        this.procsPath = directory.resolve("cgroup.procs").toString();
        this.directoryFd = directoryFd;
        this.procsFd = procsFd;
    }

    /**
     * The cgroup this process is in, whose directory is {@code ownDirectory}: where children of
     * spawns into the cgroups {@link #open opened} from it are born, and swept from.
     *
     * @throws ErrnoException naming the directory or its {@code cgroup.procs} if either cannot be opened
     */
    public static SpawnCgroup ofThisProcess(Path ownDirectory) throws ErrnoException {
        return openAt(ownDirectory, null);
    }

    /**
     * Moves this process, every thread of it, into the cgroup whose directory is {@code directory};
     * waits for a spawn into a cgroup in progress. Once, to a leaf of its own, rather than per spawn:
     * a move costs in proportion to the threads moved.
     *
     * @throws ErrnoException naming the directory if the move fails
     */
    public static void moveThisProcess(Path directory) throws ErrnoException {
        Lock lock = SWEEPING.writeLock();
        lock.lock();
        try {
            int fd = CgroupProcs.openForMoves(Objects.requireNonNull(directory, "directory").resolve("cgroup.procs").toString());
            try {
                int errno = CgroupProcs.move(fd, 0);
                if (errno != 0) {
                    throw ErrnoException.of("move this process into", directory.toString(), errno);
                }
            } finally {
                Libc.close(fd);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The cgroup whose directory is {@code directory}, to spawn children into from this one (this
     * process's own).
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
        if (home == null) {
            return new SpawnCgroup(directory, null, -1, CgroupProcs.open(directory.resolve("cgroup.procs").toString()));
        }
        int dir = ErrnoException.check(Libc.open(directory.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open",
                directory.toString());
        try {
            return new SpawnCgroup(directory, home, dir, CgroupProcs.openForMoves(directory.resolve("cgroup.procs").toString()));
        } catch (ErrnoException e) {
            Libc.close(dir);
            throw e;
        }
    }

    /**
     * True when this libc starts a child inside its cgroup by itself; false when the child is
     * moved in right after the spawn, with whatever it forked meanwhile.
     */
    public static boolean startsInside() {
        return PosixSpawn.canSpawnIntoCgroup();
    }

    /** The cgroup's directory. */
    public Path directory() {
        return directory;
    }

    /**
     * {@code target} where its child is moved in after the spawn (libc cannot clone it there) and
     * the spawn sweeps; null where there is no target or libc clones the child inside.
     */
    static SpawnCgroup movedInAfterSpawn(SpawnCgroup target) {
        return target != null && !startsInside() ? target : null;
    }

    /** The lock a spawn holds: exclusive for one that sweeps, shared by the others. */
    static Lock spawnLock(SpawnCgroup target) {
        return movedInAfterSpawn(target) != null ? SWEEPING.writeLock() : SWEEPING.readLock();
    }

    /** The directory's descriptor, for {@code posix_spawnattr_setcgroup_np}. */
    int directoryFd() {
        return directoryFd;
    }

    /**
     * Before a spawn into this cgroup: the processes in this process's own cgroup, which the sweep
     * leaves there. The caller holds {@link #spawnLock}'s exclusive lock.
     */
    int[] residents() throws ErrnoException {
        if (home == null) {
            throw new IllegalStateException(this + " is this process's own cgroup, not one to spawn into");
        }
        if (closed || home.closed) {
            throw ErrnoException.of("spawn into", directory.toString(), Errno.EBADF);
        }
        return CgroupProcs.read(home.procsFd, home.procsPath);
    }

    /**
     * After the spawn: moves {@code child} in, then everything new in this process's own cgroup
     * (what the child forked before it was moved, and their forks), until a read finds nothing
     * new. A process that cannot be moved is killed; if that is the child, the spawn fails.
     */
    void moveIn(int child, int[] residents) throws ErrnoException {
        int errno = CgroupProcs.move(procsFd, child);
        if (errno != 0 && errno != Errno.ESRCH) {
            ChildProcess.killAndReap(child);
            sweep(residents, child);
            throw ErrnoException.of("move process " + child + " into", directory.toString(), errno);
        }
        sweep(residents, child);
    }

    private void sweep(int[] residents, int child) throws ErrnoException {
        int self = (int) ProcessHandle.current().pid();
        Set<Integer> tried = null;
        boolean found = true;
        while (found) {
            found = false;
            for (int pid : CgroupProcs.read(home.procsFd, home.procsPath)) {
                if (pid == self || pid == child || contains(residents, pid)) {
                    continue;
                }
                if (tried == null) {
                    tried = new HashSet<>();
                }
                if (tried.add(pid)) {
                    found = true;
                    moveOrKill(pid);
                }
            }
        }
    }

    /** An escapee that cannot be moved must not outlive the session: gone (ESRCH) is fine too. */
    private void moveOrKill(int pid) {
        int errno = CgroupProcs.move(procsFd, pid);
        if (errno != 0 && errno != Errno.ESRCH) {
            ProcessLibc.kill(pid, Signals.SIGKILL);
        }
    }

    private static boolean contains(int[] pids, int pid) {
        for (int p : pids) {
            if (p == pid) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes its descriptors; the cgroup itself stays. Waits for a spawn that is using it (or,
     * for this process's own cgroup, any spawn into a cgroup) to finish, and refuses later ones
     * from it. Idempotent.
     */
    @Override
    public void close() {
        Lock lock = SWEEPING.writeLock();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                Libc.close(procsFd);
                if (directoryFd >= 0) {
                    Libc.close(directoryFd);
                }
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
