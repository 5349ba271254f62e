package io.vsockexec.nativeio;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child process started by {@link #spawn}, which this object reaps exactly once.
 *
 * <p>The process is held through a pidfd (waiting on one needs Linux 5.4), which becomes readable
 * when the process exits. A waiting thread parks on that descriptor through the poller like any
 * other read, so no thread blocks in {@code waitpid}, and signals sent through it can never reach
 * a process that merely inherited the pid. The exit status is collected once, cached, and
 * returned to every waiter.
 *
 * <p>Call {@link #waitFor} before {@link #close()}: a child closed while still running is no
 * longer reaped here and stays a zombie unless an {@link OrphanReaper} collects it.
 */
public final class ChildProcess implements Closeable {
    private final int pid;
    private final String program;
    private final String name;
    private final Descriptor pidfd;
    /** Guards reaping and the choice of the one thread parked on the pidfd. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiterLeft = lock.newCondition();
    private boolean waiterParked;
    private volatile ExitStatus status;

    private ChildProcess(int pid, String program, Descriptor pidfd) {
        this.pid = pid;
        this.program = program;
        this.name = pidfd.name();
        this.pidfd = pidfd;
    }

    /**
     * Starts a program as {@code spec} says. The calling thread waits until the child has called
     * exec (a few milliseconds: glibc clones with CLONE_VFORK); on a virtual thread this pins the
     * carrier for that long. The child's ends of pipes in {@code spec} are closed here afterwards,
     * whether or not the spawn succeeds.
     *
     * @throws SpawnException if the program was not found or could not be executed (see
     *     {@link SpawnException#shellCode()} for 127 or 126)
     * @throws ErrnoException naming the directory if the working directory does not exist
     */
    public static ChildProcess spawn(SpawnSpec spec) throws IOException {
        return Spawner.start(Objects.requireNonNull(spec, "spec"));
    }

    /** Wraps a child that posix_spawn just started; the caller holds {@link Children#spawning()}. */
    static ChildProcess started(int pid, String program) throws ErrnoException {
        String name = "process " + pid + " (" + program + ")";
        int fd = ProcessLibc.pidfdOpen(pid);
        if (fd < 0) {
            killAndReap(pid);
            throw ErrnoException.of("pidfd_open", name, -fd);
        }
        Descriptor pidfd;
        try {
            pidfd = Descriptor.adopt(fd, name);
        } catch (ErrnoException e) {
            killAndReap(pid);
            throw e;
        }
        ChildProcess child = new ChildProcess(pid, program, pidfd);
        Children.track(pid, child);
        return child;
    }

    /**
     * The failure path when the child cannot be tracked: it must not run unsupervised. SIGKILL
     * ends it promptly; the bounded poll keeps this thread out of a blocking waitpid.
     */
    static void killAndReap(int pid) {
        ProcessLibc.kill(pid, Signals.SIGKILL);
        for (int i = 0; i < 1000; i++) {
            int[] info = new int[ProcessLibc.SIGINFO_INTS];
            int rc = ProcessLibc.waitid(ProcessLibc.P_PID, pid, info, ProcessLibc.WEXITED | ProcessLibc.WNOHANG);
            if (rc < 0 || info[ProcessLibc.SI_PID] == pid) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The child's process id. */
    public int pid() {
        return pid;
    }

    /** The child's process group id: its own pid, as it leads a new group or session. */
    public int processGroup() {
        return pid;
    }

    /** The program's path, {@code argv[0]} of the spec. */
    public String program() {
        return program;
    }

    /**
     * Waits until the child exits and returns how it ended. Safe to call from several threads and
     * more than once: every caller gets the same status.
     *
     * @throws SocketTimeoutException if the deadline passes first; the child keeps running
     * @throws java.nio.channels.AsynchronousCloseException if {@link #close()} is called meanwhile
     */
    public ExitStatus waitFor(Deadline deadline) throws IOException {
        Objects.requireNonNull(deadline, "deadline");
        while (true) {
            ExitStatus s = status;
            if (s != null) {
                return s;
            }
            if (becomeParkedWaiter(deadline)) {
                try {
                    pidfd.retryUntilReady("wait for", true, deadline, this::reap);
                } finally {
                    leaveParkedWaiter();
                }
            }
        }
    }

    /**
     * Waits until the child exits or one of {@code others} is readable, whichever comes first: for
     * a thread that reads the child's output itself while it waits for the exit, rather than
     * leaving the output to other threads. How each kind of thread waits is
     * {@link Descriptor#awaitReadable}'s. Like {@link #waitFor}, safe while other threads wait too.
     *
     * @return whether the child has exited ({@link #exitStatus()} then reports how) and which of
     *     {@code others} are readable (not looked at when the child had exited before the call);
     *     neither if the deadline passed first
     * @throws IllegalArgumentException for more than {@link Descriptor#MAX_AWAITED} - 1 others
     */
    public ExitOrReadable awaitExitOrReadable(Deadline deadline, Descriptor... others) throws IOException {
        Objects.requireNonNull(deadline, "deadline");
        if (status != null || !becomeParkedWaiter(deadline)) {
            return ExitOrReadable.EXITED;
        }
        Descriptor[] all = new Descriptor[others.length + 1];
        all[0] = pidfd;
        System.arraycopy(others, 0, all, 1, others.length);
        try {
            int ready = Descriptor.awaitReadable(deadline, all);
            // A readable pidfd without a status to reap is not an exit: look again at the next wait.
            boolean exited = (ready & 1) != 0 && exitStatus().isPresent();
            return ExitOrReadable.of(exited, ready >>> 1);
        } finally {
            leaveParkedWaiter();
        }
    }

    /**
     * The exit status if the child has exited (reaping it now if needed), empty while it runs.
     * Does not wait.
     */
    public Optional<ExitStatus> exitStatus() throws IOException {
        if (status == null) {
            int rc = pidfd.withFd(this::reap);
            if (rc < 0 && rc != -Errno.EAGAIN) {
                throw ErrnoException.of("wait for", name, -rc);
            }
        }
        return Optional.ofNullable(status);
    }

    /**
     * Only one thread can park on the pidfd (the poller wakes one waiter per descriptor); the
     * others wait here for it to leave, each with its own deadline, and one of them takes over if
     * it left without a status (its deadline passed). Returns false if the status arrived.
     */
    private boolean becomeParkedWaiter(Deadline deadline) throws IOException {
        lock.lock();
        try {
            while (waiterParked && status == null) {
                awaitWaiterLeft(deadline);
            }
            if (status != null) {
                return false;
            }
            waiterParked = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void awaitWaiterLeft(Deadline deadline) throws IOException {
        try {
            if (deadline.isNone()) {
                waiterLeft.await();
                return;
            }
            long left = deadline.remainingNanos();
            if (left <= 0) {
                throw deadline.timedOut("wait for " + name);
            }
            waiterLeft.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("wait for " + name + ": interrupted");
        }
    }

    private void leaveParkedWaiter() {
        lock.lock();
        try {
            waiterParked = false;
            waiterLeft.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One non-blocking attempt to reap; 0 once there is a status, -EAGAIN while the child runs. */
    private int reap(int fd) {
        lock.lock();
        try {
            if (status != null) {
                return 0;
            }
            int[] info = new int[ProcessLibc.SIGINFO_INTS];
            int rc = ProcessLibc.waitid(ProcessLibc.P_PIDFD, fd, info, ProcessLibc.WEXITED | ProcessLibc.WNOHANG);
            if (rc < 0) {
                return rc; // EAGAIN from a non-blocking pidfd (Linux 5.10+) means "still running"
            }
            if (info[ProcessLibc.SI_PID] == 0) {
                return -Errno.EAGAIN; // WNOHANG and nothing to report: older kernels say it this way
            }
            status = decode(info);
            Children.untrack(pid, this);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private ExitStatus decode(int[] info) {
        int code = info[ProcessLibc.SI_CODE];
        int value = info[ProcessLibc.SI_STATUS];
        return switch (code) {
            case ProcessLibc.CLD_EXITED -> ExitStatus.exited(value & 0xFF);
            case ProcessLibc.CLD_KILLED, ProcessLibc.CLD_DUMPED -> ExitStatus.signaled(value);
            default -> throw new IllegalStateException("waitid for " + name + " reported si_code " + code);
        };
    }

    /**
     * Sends {@code signal} to the child (0 only checks that it may be signalled).
     *
     * @return false if the child has already been reaped, so nothing was sent
     * @throws IllegalArgumentException if the signal is outside 0 to {@link Signals#MAX}
     * @throws java.nio.channels.ClosedChannelException after {@link #close()}
     */
    public boolean signal(int signal) throws IOException {
        Signals.check(signal);
        if (status != null) {
            return false;
        }
        int rc = pidfd.withFd(fd -> ProcessLibc.pidfdSendSignal(fd, signal));
        if (rc == -Errno.ESRCH) {
            return false;
        }
        if (rc < 0) {
            throw ErrnoException.of("signal", name + " with " + Signals.name(signal), -rc);
        }
        return true;
    }

    /**
     * Sends {@code signal} to the child's whole process group, which may outlive the child.
     * Unlike {@link #signal}, this goes by number: once every member of the group has exited
     * and been reaped, the kernel may reuse the group id, so call it while the group is known to
     * be alive (for example before the child has been reaped).
     *
     * @return false if no process is left in the group
     */
    public boolean signalGroup(int signal) throws ErrnoException {
        return ProcessGroups.signal(pid, signal);
    }

    /**
     * Releases the pidfd, waking any thread in {@link #waitFor}. A child that has exited is
     * reaped first; one that still runs is left to an {@link OrphanReaper}. Idempotent.
     */
    @Override
    public void close() {
        if (status == null && pidfd.isOpen()) {
            try {
                pidfd.withFd(this::reap);
            } catch (IOException closedMeanwhile) {
                // Another thread closed it; it has done this.
            }
            if (status == null) {
                Children.untrack(pid, this);
            }
        }
        pidfd.close();
    }

    @Override
    public String toString() {
        ExitStatus s = status;
        return "ChildProcess[" + pid + ", " + program + (s == null ? "" : ", " + s) + "]";
    }
}
