package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Signals;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The cancel policy: SIGHUP to every group of a command on a terminal (as when a terminal
 * closes) and SIGTERM to every group and every other process of the session that can be found,
 * at once on the cancelling thread; then, on a thread of its own, a grace period for the command
 * and the children that outlive it, and SIGKILL to whatever is left.
 *
 * <p>The first signals go out before the cancel's other effects (the command's input closed) can
 * end the command: without a cgroup, the processes of a session are found as the command's
 * descendants, and a command that exits first orphans them.
 */
final class Termination {
    /** How often a cancelled session looks whether its process groups have emptied. */
    static final Duration GROUP_POLL = Duration.ofMillis(50);

    private final String name;
    private final ProcessControl control;
    private final Duration grace;
    private final Log log;
    private final Thread thread;

    private Termination(String name, ProcessControl control, Duration grace, Log log) {
        this.name = name;
        this.control = control;
        this.grace = grace;
        this.log = log;
        if (control.onTerminal()) {
            control.signalAll(Signals.SIGHUP);
        }
        control.signalAll(Signals.SIGTERM);
        this.thread = Thread.ofVirtual().name("vsockexec " + name + " terminator").start(this::run);
    }

    /** Starts terminating the command of {@code control}. */
    static Termination start(String name, ProcessControl control, Duration grace, Log log) {
        return new Termination(name, control, grace, log);
    }

    /** Waits until the policy has run its course. */
    void join() throws InterruptedException {
        thread.join();
    }

    private void run() {
        Deadline deadline = Deadline.after(grace);
        try {
            // The session's thread is the one that waits on the command; nothing announces that a
            // group has emptied; so look now and then.
            while ((control.child().exitStatus().isEmpty() || control.anyAlive()) && !deadline.hasPassed()) {
                LockSupport.parkNanos(Math.min(deadline.remainingNanos(), GROUP_POLL.toNanos()));
            }
        } catch (IOException e) {
            log.debug(() -> name + ": looking at the command failed", e);
        }
        if (control.anyAlive()) {
            log.debug(() -> name + ": SIGKILL to what is left");
            control.killAll();
        }
    }

    /**
     * Kills and reaps a command that has not been reaped, which happens only after a failure;
     * normally the session has reaped it already.
     */
    static void killAndReap(String name, ProcessControl control, Log log) {
        try {
            if (control.child().exitStatus().isEmpty()) {
                control.killAll();
                control.child().waitFor(Deadline.after(Duration.ofSeconds(10)));
            }
        } catch (IOException e) {
            log.warning(name + ": could not reap " + control.child() + ": " + e.getMessage());
            log.debug(() -> name + ": could not reap", e);
        }
    }
}
