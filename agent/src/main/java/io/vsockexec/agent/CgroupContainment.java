package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ProcessTree;
import io.vsockexec.nativeio.Programs;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A cgroup per session, so that nothing a session started escapes it: a process can leave its
 * process group and session ({@code setsid}) and its parent (a double fork), never its cgroup.
 *
 * <p>The agent owns a subtree below its own cgroup, {@code vsockexec-agent-PID-START-N} (its pid
 * and start time, which together name its process for good, and a count of the agents that
 * process started), with one cgroup per session inside. The
 * command enters its session's cgroup before it execs: posix_spawn cannot place a child in a
 * cgroup, so the child is {@code /bin/sh}, which writes itself into {@code cgroup.procs} and execs
 * the command, keeping its pid, environment and descriptors. Cancelling a session signals
 * everything in its cgroup and, after the grace period, kills the cgroup ({@code cgroup.kill});
 * a session that ends normally leaves its background processes running in its cgroup, which is
 * taken back once they have exited; the agent's shutdown kills the whole subtree and removes it.
 * An empty cgroup is kept for the next session (up to {@link #FREE_CGROUPS}): creating and
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
    private final Log log;
    private final AtomicInteger ids = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: cgroups of ended sessions that still hold processes. */
    private final Set<CgroupDirectory> lingering = new HashSet<>();
    /**
     * Guarded by {@link #lock}: empty cgroups of ended sessions, for the next sessions: creating
     * and removing a cgroup costs more than a short command.
     */
    private final ArrayDeque<CgroupDirectory> free = new ArrayDeque<>();

    private CgroupContainment(CgroupDirectory subtree, Log log) {
        this.subtree = subtree;
        this.log = log;
    }

    /** A containment, or why there is none. */
    record Opening(CgroupContainment containment, String reason) {}

    /** Cleans up after dead agents and creates this agent's subtree; logs the outcome either way. */
    static Opening open(Log log) {
        try {
            if (!Files.isExecutable(Path.of(Launcher.SHELL))) {
                return new Opening(null, Launcher.SHELL + " is missing, which moves each command into its cgroup");
            }
            Path own = CgroupMount.ownDirectory();
            removeDeadAgents(own, log);
            long pid = ProcessHandle.current().pid();
            CgroupDirectory subtree = new CgroupDirectory(own).create("vsockexec-agent-" + pid + "-"
                    + ProcessTree.startTime((int) pid) + "-" + AGENTS.incrementAndGet());
            if (!subtree.canKill()) {
                subtree.remove();
                return new Opening(null, "this kernel has no cgroup.kill (Linux 5.14 or later has)");
            }
            log.info("cgroups: each session runs in a cgroup of its own under " + subtree.path());
            return new Opening(new CgroupContainment(subtree, log), null);
        } catch (IOException | RuntimeException e) {
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
        CgroupDirectory reused;
        lock.lock();
        try {
            reused = free.pollFirst();
        } finally {
            lock.unlock();
        }
        try {
            return new Session(reused != null ? reused : subtree.create("session-" + ids.incrementAndGet()));
        } catch (IOException e) {
            log.warning(name + ": no cgroup of its own (" + e.getMessage() + "); it is ended through its process groups");
            return new TreeContainment.Session(log);
        }
    }

    @Override
    public void shutdown() {
        try {
            subtree.kill();
            if (subtree.awaitEmpty(EMPTYING) && subtree.remove()) {
                return;
            }
            log.warning("cgroups: could not remove " + subtree.path() + "; the next agent will");
        } catch (IOException e) {
            log.warning("cgroups: could not clean up " + subtree.path() + ": " + e.getMessage());
        }
    }

    /** Takes back the cgroups of ended sessions whose last process has exited. */
    private void recycleEmptied() {
        List<CgroupDirectory> candidates;
        lock.lock();
        try {
            if (lingering.isEmpty()) {
                return;
            }
            candidates = new ArrayList<>(lingering);
        } finally {
            lock.unlock();
        }
        for (CgroupDirectory d : candidates) {
            try {
                if (!d.populated()) {
                    lock.lock();
                    try {
                        lingering.remove(d);
                    } finally {
                        lock.unlock();
                    }
                    recycle(d);
                }
            } catch (IOException e) {
                log.debug(() -> "cgroups: looking at " + d.path() + " failed", e);
            }
        }
    }

    /** Keeps an empty cgroup for a later session, or removes it when enough are kept. */
    private void recycle(CgroupDirectory empty) throws IOException {
        lock.lock();
        try {
            if (free.size() < FREE_CGROUPS) {
                free.addLast(empty);
                return;
            }
        } finally {
            lock.unlock();
        }
        empty.remove();
    }

    /** One session's cgroup. */
    private final class Session implements SessionProcesses {
        /** Moves the shell into the cgroup named by {@code $0}, then becomes the command, same pid. */
        private static final String ENTER = "{ echo 0 >\"$0\"; } 2>/dev/null"
                + " || { echo \"vsockexec: cannot enter the session's cgroup $0\" >&2; exit 126; }; ";
        /** The shell exports PWD; a command whose environment had none must not get one. */
        private static final String UNSET_PWD = "unset PWD; ";

        private final CgroupDirectory cgroup;

        Session(CgroupDirectory cgroup) {
            this.cgroup = cgroup;
        }

        @Override
        public List<String> wrap(List<String> argv, Map<String, String> environment, Path workingDirectory)
                throws SpawnException {
            if (workingDirectory == null || Files.isDirectory(workingDirectory)) {
                Programs.checkExecutable(argv.getFirst(), workingDirectory); // else the spawn reports the chdir
            }
            List<String> wrapped = new ArrayList<>(argv.size() + 4);
            String script = ENTER + (environment.containsKey("PWD") ? "" : UNSET_PWD) + "exec \"$@\"";
            wrapped.addAll(List.of(Launcher.SHELL, "-c", script, cgroup.procs().toString()));
            wrapped.addAll(argv);
            return wrapped;
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
                    recycle(cgroup);
                    return;
                }
            } catch (IOException e) {
                log.debug(() -> "cgroups: recycling " + cgroup.path() + " failed", e);
            }
            lock.lock();
            try {
                lingering.add(cgroup);
            } finally {
                lock.unlock();
            }
        }
    }
}
