package io.vsockexec.nativeio;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.internal.Libc;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Programs#resolve} with a cache that the kernel keeps honest: the directories of each
 * cached {@code PATH} are watched with inotify, and any change in one of them (an entry created,
 * removed, renamed or given other permissions, or the directory itself moved or removed) empties
 * the cache before the next lookup. The kernel queues such an event before the change's system
 * call returns, so a lookup after a change always sees it; a cached lookup costs one read of the
 * inotify descriptor instead of one system call per {@code PATH} entry (a long {@code PATH} made
 * the search the largest part of what the agent adds to a short command).
 *
 * <p>Only what can be watched is cached: a {@code PATH} of absolute directories that all exist.
 * A relative or empty entry (it depends on the working directory), a missing directory (it may
 * appear later), a failed lookup, or a system without inotify: each is searched every time.
 * Thread-safe.
 */
public final class ProgramResolver implements Closeable {
    /** What makes a directory's lookups stale; IN_ONLYDIR refuses what is not a directory. */
    static final int WATCHED_CHANGES = 0x4 /* IN_ATTRIB */ | 0x40 /* IN_MOVED_FROM */ | 0x80 /* IN_MOVED_TO */
            | 0x100 /* IN_CREATE */ | 0x200 /* IN_DELETE */ | 0x400 /* IN_DELETE_SELF */ | 0x800 /* IN_MOVE_SELF */
            | 0x01000000 /* IN_ONLYDIR */;
    /** The most lookups kept; beyond it the cache starts again, so that request-chosen PATHs cannot grow it. */
    static final int MAX_ENTRIES = 256;

    private static final Log LOG = Log.process();

    /** Null when the system has no inotify: then nothing is cached. */
    private final Descriptor events;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: PATH, a NUL, the command; to the program's path. */
    private final Map<String, String> cache = new HashMap<>();
    /** Guarded by {@link #lock}: the PATH values whose directories are all watched. */
    private final Map<String, Boolean> watchedPaths = new HashMap<>();
    private final byte[] drained = new byte[4096];

    private ProgramResolver(Descriptor events) {
        this.events = events;
    }

    /** A resolver with its cache; one that searches every time if inotify is not available. */
    public static ProgramResolver create() {
        int fd = Libc.inotifyInit();
        if (fd < 0) {
            LOG.debug(() -> "no inotify (" + Libc.errnoName(-fd) + "): program lookups are not cached");
            return new ProgramResolver(null);
        }
        return new ProgramResolver(Descriptor.adoptNonBlocking(fd, "inotify for PATH"));
    }

    /** As {@link Programs#resolve}, from the cache when nothing has changed since. */
    public String resolve(String command, String pathEnv, Path workingDirectory) throws SpawnException {
        String path = pathEnv != null ? pathEnv : Programs.DEFAULT_PATH;
        if (events == null || command.indexOf('/') >= 0) {
            return Programs.resolve(command, pathEnv, workingDirectory);
        }
        String key = path + '\0' + command;
        lock.lock();
        try {
            dropIfChanged();
            String cached = cache.get(key); // only a watchable PATH is ever cached
            if (cached != null) {
                return cached;
            }
            // Watched before the search, so that a change during it empties the cache.
            if (!watchable(path) || !watch(path)) {
                return Programs.resolve(command, pathEnv, workingDirectory);
            }
            String program = Programs.resolve(command, pathEnv, workingDirectory);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, program);
            return program;
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching; later lookups search every time. Idempotent. */
    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
    }

    /** Absolute entries only, none empty or with a NUL. */
    private static boolean watchable(String path) {
        for (String entry : path.split(":", -1)) {
            if (!entry.startsWith("/") || entry.indexOf('\0') >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Empties the cache if any event has arrived since the last look (reading them all). The
     * watches are renewed too: a directory that was removed lost its watch with it.
     */
    private void dropIfChanged() {
        boolean changed = false;
        try {
            while (events.readAvailable(drained, 0, drained.length) > 0) {
                changed = true;
            }
        } catch (IOException e) {
            changed = true; // closed or failed: trust nothing cached
        }
        if (changed) {
            cache.clear();
            watchedPaths.clear();
        }
    }

    /** Watches every directory of {@code path}; false if one cannot be watched (it does not exist, say). */
    private boolean watch(String path) {
        Boolean known = watchedPaths.get(path);
        if (known != null) {
            return known;
        }
        boolean all = true;
        for (String dir : path.split(":", -1)) {
            int rc;
            try {
                rc = events.withFd(fd -> Libc.inotifyAddWatch(fd, dir, WATCHED_CHANGES));
            } catch (IOException e) {
                rc = -1;
            }
            all &= rc >= 0;
        }
        if (watchedPaths.size() >= MAX_ENTRIES) {
            watchedPaths.clear();
        }
        watchedPaths.put(path, all);
        return all;
    }
}
