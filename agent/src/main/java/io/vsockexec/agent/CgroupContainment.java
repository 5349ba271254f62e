package io.vsockexec.agent;

import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ProcessTree;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnCgroup;
import io.vsockexec.nativeio.SpawnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A cgroup per session, so that nothing a session started escapes it: a process can leave its
 * process group and session ({@code setsid}) and its parent (a double fork), never its cgroup.
 *
 * <p>The agent owns a subtree below the cgroup its process started in,
 * {@code vsockexec-agent-PID-START-N} ({@link ProcessLeaf#cgroupName}), with one cgroup per session
 * inside; the process itself lives in a leaf beside it ({@link ProcessLeaf}). The command starts
 * in its session's cgroup ({@link SpawnCgroup}): libc clones it there (glibc 2.41), or it is born
 * in the process's leaf and moved in right after the spawn, with everything it forked meanwhile.
 * Cancelling a session signals everything in its cgroup and, after the grace period, kills the
 * cgroup ({@code cgroup.kill}); a session that ends normally leaves its background processes
 * running in its cgroup, which is taken back once they have exited; the agent's shutdown kills the
 * whole subtree and removes it. An empty cgroup is kept for the next session (up to {@link #FREE_CGROUPS}): creating and
 * removing one costs more than a short command.
 *
 * <p>An agent that was killed (SIGKILL, or an out-of-memory kill) cannot clean up: the next agent
 * started in the same cgroup does, at start-up. It kills and removes every agent subtree whose
 * agent is no longer running, never one of a live agent.
 */
final class CgroupContainment implements ProcessContainment {
    /** How long a killed cgroup may take to empty before its removal is left for later. */
    static final Duration EMPTYING = Duration.ofSeconds(10);
    /** {@code vsockexec-agent-PID-START-N}: the agent process, and which agent of that process (a JVM may run several). */
    private static final Pattern AGENT_SUBTREE = Pattern.compile("vsockexec-agent-([0-9]+)-([0-9]+)-[0-9]+");
    private static final AtomicInteger AGENTS = new AtomicInteger();

    private final CgroupDirectory subtree;
    /** The process's leaf, where a command is born where libc cannot spawn into a cgroup. */
    private final SpawnCgroup home;
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private final Log log;
    private final AtomicInteger ids = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: cgroups of ended sessions that still hold processes. */
    private final Set<SessionCgroup> lingering = new HashSet<>();
    /**
     * Guarded by {@link #lock}: empty cgroups of ended sessions, for the next sessions: creating
     * and removing a cgroup costs more than a short command.
     */
    private final ArrayDeque<SessionCgroup> free = new ArrayDeque<>();

    private CgroupContainment(CgroupDirectory subtree, SpawnCgroup home, Log log) {
        this.subtree = subtree;
        this.home = home;
        this.log = log;
    }

    /** A containment, or why there is none. */
    record Opening(CgroupContainment containment, String reason) {}

    /**
     * Cleans up after dead agents and creates this agent's subtree; logs the outcome either way.
     * With {@code favorDynmods}, first makes the hierarchy favor dynamic modifications ({@link FavorDynmods}).
     */
    static Opening open(boolean favorDynmods, Log log) {
        ProcessLeaf.Place place;
        try {
            place = ProcessLeaf.acquire(favorDynmods, log);
        } catch (IOException | RuntimeException e) {
            return new Opening(null, e.getMessage());
        }
        try {
            removeDeadAgents(place.started(), log);
            CgroupDirectory subtree = new CgroupDirectory(place.started())
                    .create(ProcessLeaf.cgroupName(AGENTS.incrementAndGet()));
            if (!subtree.canKill()) {
                subtree.remove();
                ProcessLeaf.release(log);
                return new Opening(null, "this kernel has no cgroup.kill (Linux 5.14 or later has)");
            }
            SpawnCgroup home;
            try {
                home = SpawnCgroup.ofThisProcess(place.leaf());
            } catch (IOException e) {
                subtree.remove();
                throw e;
            }
            log.info("cgroups: each session runs in a cgroup of its own under " + subtree.path());
            return new Opening(new CgroupContainment(subtree, home, log), null);
        } catch (IOException | RuntimeException e) {
            ProcessLeaf.release(log);
            return new Opening(null, e.getMessage());
        }
    }

    /** Kills and removes the subtrees of agents that are gone; a live agent's stays. */
    static void removeDeadAgents(Path parent, Log log) throws IOException {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(parent)) {
            candidates = entries.filter(p -> AGENT_SUBTREE.matcher(p.getFileName().toString()).matches()).toList();
        }
        for (Path dir : candidates) {
            Matcher m = AGENT_SUBTREE.matcher(dir.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            int pid = Integer.parseInt(m.group(1));
            if (ProcessTree.startTime(pid) == Long.parseLong(m.group(2))) {
                continue; // that agent is running
            }
            CgroupDirectory gone = new CgroupDirectory(dir);
            int left = gone.processes().size();
            gone.kill();
            boolean removed = gone.awaitEmpty(EMPTYING) && gone.remove();
            log.info("cgroups: agent " + pid + " is gone; killed the " + left + " processes its sessions left"
                    + (removed ? " and removed " : ", but could not remove ") + dir);
        }
    }

    /** Empty cgroups kept for reuse. */
    static final int FREE_CGROUPS = 16;

    @Override
    public SessionProcesses forSession(String name) {
        recycleEmptied();
        SessionCgroup reused = Guarded.get(lock, free::pollFirst);
        try {
            return new Session(reused != null ? reused
                    : SessionCgroup.create(subtree, home, "session-" + ids.incrementAndGet()));
        } catch (IOException e) {
            log.warning(name + ": no cgroup of its own (" + e.getMessage() + "); it is ended through its process groups");
            return new TreeContainment.Session(log);
        }
    }

    @Override
    public void shutdown() {
        if (shutDown.getAndSet(true)) {
            return;
        }
        Guarded.run(lock, () -> {
            free.forEach(SessionCgroup::close);
            lingering.forEach(SessionCgroup::close);
        });
        home.close(); // waits for a spawn in progress (its command is in its cgroup then), and refuses new ones
        try {
            subtree.kill();
            if (!subtree.awaitEmpty(EMPTYING) || !subtree.remove()) {
                log.warning("cgroups: could not remove " + subtree.path() + "; the next agent will");
            }
        } catch (IOException e) {
            log.warning("cgroups: could not clean up " + subtree.path() + ": " + e.getMessage());
        }
        ProcessLeaf.release(log);
    }

    /** Takes back the cgroups of ended sessions whose last process has exited. */
    private void recycleEmptied() {
        List<SessionCgroup> candidates;
        lock.lock();
        try {
            if (lingering.isEmpty()) {
                return;
            }
            candidates = new ArrayList<>(lingering);
        } finally {
            lock.unlock();
        }
        for (SessionCgroup d : candidates) {
            try {
                if (!d.directory().populated() && takeLingering(d)) {
                    recycle(d);
                }
            } catch (IOException e) {
                log.debug(() -> "cgroups: looking at " + d.directory().path() + " failed", e);
            }
        }
    }

    /**
     * True for the one caller that takes {@code d} off the lingering set: two sessions starting at
     * once may both find it empty, and a cgroup recycled twice would be handed to two sessions, or
     * closed under one of them.
     */
    private boolean takeLingering(SessionCgroup d) {
        return Guarded.get(lock, () -> lingering.remove(d));
    }

    /** Keeps an empty cgroup for a later session, or removes it when enough are kept. */
    private void recycle(SessionCgroup empty) throws IOException {
        lock.lock();
        try {
            if (free.size() < FREE_CGROUPS) {
                free.addLast(empty);
                return;
            }
        } finally {
            lock.unlock();
        }
        empty.close();
        empty.directory().remove();
    }

    /** A session's cgroup directory, and the descriptors that spawn a command into it. */
    private record SessionCgroup(CgroupDirectory directory, SpawnCgroup spawn) {
        static SessionCgroup create(CgroupDirectory parent, SpawnCgroup home, String name) throws IOException {
            CgroupDirectory dir = parent.create(name);
            try {
                return new SessionCgroup(dir, home.open(dir.path()));
            } catch (IOException e) {
                dir.remove();
                throw e;
            }
        }

        void close() {
            spawn.close();
        }
    }

    /** One session's cgroup. */
    private final class Session implements SessionProcesses {
        private final SessionCgroup slot;
        private final CgroupDirectory cgroup;

        Session(SessionCgroup slot) {
            this.slot = slot;
            this.cgroup = slot.directory();
        }

        @Override
        public SpawnSpec.Builder prepare(SpawnSpec.Builder spawn) {
            return spawn.cgroup(slot.spawn());
        }

        @Override
        public void started(ChildProcess child) {
            // Everything is found through the cgroup.
        }

        @Override
        public boolean signalAll(int signal) {
            boolean any = false;
            try {
                for (int pid : cgroup.processes()) {
                    any |= ProcessTree.signal(pid, -1, signal);
                }
            } catch (IOException e) {
                log.debug(() -> "cgroups: signal " + Signals.name(signal) + " to " + cgroup.path() + " failed", e);
            }
            return any;
        }

        @Override
        public boolean anyAlive() {
            try {
                return cgroup.populated();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void killAll() {
            try {
                cgroup.kill();
            } catch (IOException e) {
                log.warning("cgroups: could not kill " + cgroup.path() + ": " + e.getMessage());
            }
        }

        @Override
        public void release() {
            try {
                if (!cgroup.populated()) {
                    recycle(slot);
                    return;
                }
            } catch (IOException e) {
                log.debug(() -> "cgroups: recycling " + cgroup.path() + " failed", e);
            }
            Guarded.run(lock, () -> lingering.add(slot));
        }
    }
}
