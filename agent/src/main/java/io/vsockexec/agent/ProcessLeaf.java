package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ProcessTree;
import io.vsockexec.nativeio.SpawnCgroup;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cgroup the agent's process lives in while its sessions run in cgroups: a leaf of its own,
 * {@code vsockexec-agent-PID-START-0}, beside the agents' subtrees in the cgroup the process
 * started in. A command is born here and moved into its session's cgroup right after the spawn,
 * with whatever it forked meanwhile ({@link SpawnCgroup}); for that sweep to tell the command's
 * forks from anything else, the leaf holds nothing but this process. The process moves here once:
 * moving it costs in proportion to its threads, every JVM thread, which is what stepping into each
 * session's cgroup and back for every spawn used to cost.
 *
 * <p>Shared by the agents of one process (tests run several): the first moves the process in, the
 * last moves it back where it started and removes the leaf. The leaf is outside every agent's
 * subtree, so killing a subtree never hits the agent itself. After a SIGKILL of the process the
 * next agent removes its leaf with its subtrees ({@link CgroupContainment#removeDeadAgents}).
 */
final class ProcessLeaf {
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Guarded by {@link #LOCK}: the agents that hold the leaf. */
    private static int users;
    /** Guarded by {@link #LOCK}: where the process started, and its leaf, while {@link #users} is not 0. */
    private static Place place;

    private ProcessLeaf() {}

    /** The cgroup this process started in ({@code started}), and the leaf it lives in now. */
    record Place(Path started, Path leaf) {}

    /**
     * {@code vsockexec-agent-PID-START-N}: this process (its pid and start time, which together
     * name it for good) and which of its agents (0 for the leaf they share).
     */
    static String cgroupName(int agent) throws IOException {
        long pid = ProcessHandle.current().pid();
        return "vsockexec-agent-" + pid + "-" + ProcessTree.startTime((int) pid) + "-" + agent;
    }

    /**
     * Moves this process into its leaf unless another agent already did; each call needs a
     * {@link #release}. The first call also makes the hierarchy favor dynamic modifications if
     * {@code favorDynmods} ({@link FavorDynmods}): before the move, which takes the same lock.
     */
    static Place acquire(boolean favorDynmods, Log log) throws IOException {
        LOCK.lock();
        try {
            if (users == 0) {
                place = moveIn(CgroupMount.ownDirectory(favorDynmods, log));
            }
            users++;
            return place;
        } finally {
            LOCK.unlock();
        }
    }

    private static Place moveIn(Path started) throws IOException {
        Path leaf = started.resolve(cgroupName(0));
        try {
            Files.createDirectory(leaf);
        } catch (FileAlreadyExistsException kept) {
            // an earlier agent of this process left it, busy with a process spawned without a cgroup
        }
        try {
            SpawnCgroup.moveThisProcess(leaf);
        } catch (IOException e) {
            new CgroupDirectory(leaf).remove();
            throw e;
        }
        return new Place(started, leaf);
    }

    /** The last agent's release moves this process back where it started and removes the leaf. */
    static void release(Log log) {
        LOCK.lock();
        try {
            if (users == 0 || --users > 0) {
                return;
            }
            Path leaf = place.leaf();
            SpawnCgroup.moveThisProcess(place.started());
            if (!new CgroupDirectory(leaf).remove()) {
                log.debug(() -> "cgroups: " + leaf + " still holds a process spawned without a cgroup");
            }
        } catch (IOException e) {
            log.warning("cgroups: could not leave " + place.leaf() + ": " + e.getMessage());
        } finally {
            LOCK.unlock();
        }
    }
}
