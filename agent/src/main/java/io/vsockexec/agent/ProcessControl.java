package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.ProcessGroups;
import io.vsockexec.nativeio.Pty;
import io.vsockexec.nativeio.Signals;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Signals for one session's processes. The command leads its own process group (pipe modes) or
 * its own session (terminal mode), so its children share its fate:
 * <ul>
 *   <li>a host's {@code Signal} goes to the command's process group, or, on a terminal, to the
 *       terminal's foreground process group, as a key such as ^C would;
 *   <li>cancellation goes to every group: the command's, and on a terminal every group of its
 *       session (a shell's background jobs lead groups of their own); and to every other process
 *       of the session its {@link SessionProcesses} can find (all of them, in a cgroup).
 * </ul>
 */
final class ProcessControl {
    private final ChildProcess child;
    private final Pty terminal;
    private final SessionProcesses processes;
    private final Log log;

    /**
     * @param terminal the session's terminal, or null in the pipe modes
     * @param processes the session's other processes, as its containment finds them
     * @param log where failed signals are noted
     */
    ProcessControl(ChildProcess child, Pty terminal, SessionProcesses processes, Log log) {
        this.child = child;
        this.terminal = terminal;
        this.processes = processes;
        this.log = log;
    }

    ChildProcess child() {
        return child;
    }

    /** True if the command runs on a terminal, which a cancellation hangs up first. */
    boolean onTerminal() {
        return terminal != null;
    }

    /** Delivers a signal the host asked for. */
    void deliver(int signal) {
        try {
            int group = terminal == null ? child.processGroup() : foregroundGroup();
            ProcessGroups.signal(group, signal);
        } catch (IOException | IllegalArgumentException e) {
            log.debug(() -> "signal " + Signals.name(signal) + " to " + child + " failed", e);
        }
    }

    /** The terminal's foreground group; the command's own when the terminal reports none. */
    private int foregroundGroup() throws IOException {
        int group = terminal.foregroundProcessGroup();
        return group > 0 ? group : child.processGroup();
    }

    /**
     * Sends {@code signal} to every group of the command and every process its containment finds
     * (looked for first, while the command still holds its tree together).
     *
     * @return true if any process received it
     */
    boolean signalAll(int signal) {
        boolean any = processes.signalAll(signal);
        for (int group : groups()) {
            try {
                any |= ProcessGroups.signal(group, signal);
            } catch (ErrnoException e) {
                log.debug(() -> "signal " + Signals.name(signal) + " to group " + group + " failed", e);
            }
        }
        return any;
    }

    /** SIGKILL to everything: the groups, and all the containment finds (a cgroup: everything in it). */
    void killAll() {
        signalAll(Signals.SIGKILL);
        processes.killAll();
    }

    /**
     * True while any process of the command's groups, or any its containment sees, is alive
     * (zombies waiting for their parent do not count).
     */
    boolean anyAlive() {
        if (processes.anyAlive()) {
            return true;
        }
        try {
            for (int group : groups()) {
                if (ProcessGroups.hasLiveMember(group)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return signalAll(0);
        }
    }

    private Set<Integer> groups() {
        Set<Integer> groups = new LinkedHashSet<>();
        groups.add(child.processGroup());
        if (terminal != null) {
            try {
                groups.addAll(ProcessGroups.inSession(child.pid()));
            } catch (IOException e) {
                log.debug(() -> "listing the groups of session " + child.pid() + " failed", e);
            }
        }
        return groups;
    }
}
