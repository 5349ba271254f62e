package io.vsockexec.nativeio;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The children that a live {@link ChildProcess} will reap, so that {@link OrphanReaper} leaves
 * them alone. A spawn holds the shared lock from {@code posix_spawn} until its child is tracked,
 * and the reaper holds the exclusive lock while it reaps: a child that exits at once can thus
 * never be taken for an orphan before its owner knows its pid.
 */
final class Children {
    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();
    private static final ConcurrentHashMap<Integer, ChildProcess> OWNERS = new ConcurrentHashMap<>();

    private Children() {}

    /** Held (shared) while a child is created and tracked. */
    static Lock spawning() {
        return LOCK.readLock();
    }

    /** Held (exclusive) while orphans are reaped. */
    static Lock reaping() {
        return LOCK.writeLock();
    }

    static void track(int pid, ChildProcess owner) {
        OWNERS.put(pid, owner);
    }

    /** Stops tracking {@code pid} for {@code owner} only: the number may already belong to a newer child. */
    static void untrack(int pid, ChildProcess owner) {
        OWNERS.remove(pid, owner);
    }

    static boolean isTracked(int pid) {
        return OWNERS.containsKey(pid);
    }
}
