package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ProcessTree;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnSpec;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fallback where cgroups cannot be used: besides the command's process groups (which
 * {@link ProcessControl} signals), a cancelled session signals every process found below its
 * command in the process tree, and remembers them, so a process that ignores SIGTERM in a session
 * of its own ({@code setsid}) still gets the SIGKILL. As PID 1 or a subreaper, the agent's
 * shutdown kills everything below it, orphans of earlier sessions included.
 *
 * <p>What it cannot catch: a process whose parent exited before the cancel (a double fork, or a
 * {@code setsid ... &} whose shell has exited) is no longer below the command; it belongs to PID 1
 * or, as a subreaper, to the agent, with nothing left to tell which session started it. It keeps
 * running until the agent shuts down (as PID 1 or a subreaper) or for good (otherwise), and so
 * does everything after a SIGKILL of the agent.
 *
 * @param log where what goes wrong while signalling is told
 * @param reaper whether orphans are re-parented to the agent (PID 1 or a subreaper)
 */
record TreeContainment(Log log, boolean reaper) implements ProcessContainment {
    @Override
    public SessionProcesses forSession(String name) {
        return new Session(log);
    }

    /**
     * As PID 1 or a subreaper ({@link #reaper}), kills what is left below the agent: orphans of
     * sessions that ended long ago, which became the agent's children. Otherwise nothing: what is
     * below the agent then is its sessions' commands, cancelled already, or, where the agent runs
     * inside a host's JVM, the host's own processes.
     */
    @Override
    public void shutdown() {
        if (!reaper) {
            return;
        }
        int self = (int) ProcessHandle.current().pid();
        try {
            List<ProcessTree.ProcessId> left = ProcessTree.descendantsOf(self);
            for (ProcessTree.ProcessId p : left) {
                ProcessTree.signal(p.pid(), p.startTime(), Signals.SIGKILL);
            }
            if (!left.isEmpty()) {
                log.debug(() -> "killed " + left.size() + " processes left below the agent");
            }
        } catch (IOException e) {
            log.debug(() -> "killing what was left below the agent failed", e);
        }
    }

    /** One session: the processes found below its command, and remembered once found. */
    static final class Session implements SessionProcesses {
        private final Log log;
        private final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}. */
        private final Set<ProcessTree.ProcessId> found = new LinkedHashSet<>();
        private volatile ChildProcess command;

        Session(Log log) {
            this.log = log;
        }

        @Override
        public SpawnSpec.Builder prepare(SpawnSpec.Builder spawn) {
            return spawn;
        }

        @Override
        public void started(ChildProcess child) {
            command = child;
        }

        @Override
        public boolean signalAll(int signal) {
            boolean any = false;
            for (ProcessTree.ProcessId p : lookAgain()) {
                try {
                    any |= ProcessTree.signal(p.pid(), p.startTime(), signal);
                } catch (IOException e) {
                    log.debug(() -> "signal " + Signals.name(signal) + " to process " + p.pid() + " failed", e);
                }
            }
            return any;
        }

        @Override
        public boolean anyAlive() {
            for (ProcessTree.ProcessId p : lookAgain()) {
                try {
                    if (ProcessTree.startTime(p.pid()) == p.startTime()) {
                        return true;
                    }
                } catch (IOException e) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void killAll() {
            signalAll(Signals.SIGKILL);
        }

        @Override
        public void release() {
            // Nothing is held.
        }

        /** What is below the command now, added to what was found before; a copy. */
        private List<ProcessTree.ProcessId> lookAgain() {
            ChildProcess c = command;
            List<ProcessTree.ProcessId> below = List.of();
            try {
                if (c != null && c.exitStatus().isEmpty()) {
                    below = ProcessTree.descendantsOf(c.pid());
                }
            } catch (IOException e) {
                log.debug(() -> "walking the processes below " + c + " failed", e);
            }
            lock.lock();
            try {
                found.addAll(below);
                return List.copyOf(found);
            } finally {
                lock.unlock();
            }
        }
    }
}
