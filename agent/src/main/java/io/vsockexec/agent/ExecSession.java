package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.transport.PeerStalledException;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One command's life, from its request to its final frame: plan, spawn, wait, report, release;
 * and its cancellation, from any thread. Runs on the connection's thread. What differs between
 * the exec modes comes in with the session, chosen once by the mode's handler: the command's
 * {@link ExecStdio} (pipes or a terminal, relayed or buffered), its {@link ExecReply}, and
 * whether the host's input frames are taken.
 *
 * <p>Ordering: the final frame is written only after the process has been reaped and its
 * outputs have been read to their end, so every byte it wrote before exiting reaches the host first.
 */
final class ExecSession implements Exchange {
    private final HostConnection host;
    private final SessionContext context;
    private final RequestedCommand command;
    private final ExecStdio stdio;
    private final ExecReply reply;
    private final boolean interactive;
    private final Log log;

    /** Orders cancellation against the spawn and the report. The volatile fields are written under it. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ProcessControl control;
    /** Guarded by {@link #lock}: the command is being cancelled. */
    private boolean cancelled;
    /** Why, for the log line. */
    private volatile String cancelReason = "";
    /** The final frame is written or being written; nothing is cancelled after. */
    private volatile boolean reporting;
    /** Guarded by {@link #lock}. */
    private Termination termination;

    private HostInput input;
    private volatile String program;
    /** The session's processes beyond the command's groups; made just before the spawn. */
    private SessionProcesses processes;

    /** @param interactive whether the host's {@code Stdin}, {@code Signal} and {@code Resize} frames are taken */
    ExecSession(HostConnection host, SessionContext context, RequestedCommand command, ExecStdio stdio,
            ExecReply reply, boolean interactive) {
        this.host = host;
        this.context = context;
        this.command = command;
        this.stdio = stdio;
        this.reply = reply;
        this.interactive = interactive;
        this.log = context.log();
        this.program = command.loggedProgram();
    }

    /** {@code /usr/bin/cat user=nobody}: the program once resolved, and the user the request asked for. */
    @Override
    public String summary() {
        String user = command.user();
        return program + " user=" + (user.isEmpty() ? "-" : Launcher.printable(user));
    }

    /**
     * Runs the command and writes the final frame.
     *
     * @throws IOException if the final frame cannot be written (the host has gone)
     */
    @Override
    public Outcome run() throws IOException, InterruptedException {
        try {
            Launcher.Plan plan = context.launcher().plan(command);
            program = plan.program();
            processes = context.containment().forSession(host.name());
            ChildProcess child = spawn(plan);
            host.memory().releaseFrame(); // the request is decoded and its input handed on
            ExitStatus status = stdio.awaitExit(child, this::startHostInput);
            return report(status);
        } catch (RequestException e) {
            beginReport();
            reply.refuse(e.getMessage());
            return Outcome.refused(e.getMessage());
        } catch (StartFailure f) {
            beginReport();
            reply.startFailed(f);
            return Outcome.exited(f.exitCode(), f.getMessage());
        } finally {
            release();
        }
    }

    private void startHostInput() {
        input = new HostInput(host, stdio, this, interactive, log).start();
    }

    @Override
    public Thread reader() {
        return input == null ? null : input.thread();
    }

    /**
     * Cancels the command with the {@link Termination} policy. Does nothing once the final frame
     * is being written.
     */
    @Override
    public void cancel(String reason) {
        lock.lock();
        try {
            if (cancelled || reporting) {
                return;
            }
            cancelled = true;
            cancelReason = reason;
            log.debug(() -> host.name() + ": cancelling: " + reason);
            stdio.cancelled();
            if (control != null) {
                termination = Termination.start(host.name(), control, context.config().grace(), log);
            }
        } finally {
            lock.unlock();
        }
    }

    private ChildProcess spawn(Launcher.Plan plan) throws RequestException, StartFailure {
        SpawnSpec spec = openStdio(plan);
        lock.lock();
        try {
            if (cancelled) {
                throw new RequestException("cancelled before the command started: " + cancelReason);
            }
            ChildProcess child;
            try {
                child = ChildProcess.spawn(spec);
            } catch (ErrnoException e) {
                throw Launcher.spawnFailure(e);
            } catch (IOException e) {
                throw new StartFailure(StartFailure.CANNOT_EXECUTE, e.getMessage());
            }
            processes.started(child);
            control = new ProcessControl(child, stdio.terminal(), processes, log);
            // Under the lock, so that a cancellation's terminator sees the command running.
            stdio.start(this::hostGone);
            return child;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Output can no longer reach the host: cancel. A host that stopped reading is treated as gone,
     * as if it had closed the connection: closing it here ends the session's reader and spares the
     * final frame a second wait for that host.
     */
    private void hostGone(IOException failure) {
        cancel("writing to the host failed: " + failure.getMessage());
        if (failure instanceof PeerStalledException) {
            host.connection().close();
        }
    }

    private SpawnSpec openStdio(Launcher.Plan plan) throws RequestException {
        try {
            return stdio.open(processes.prepare(SpawnSpec.builder(plan.argv()))
                    .environment(plan.environment())
                    .workingDirectory(plan.workingDirectory())).build();
        } catch (IllegalArgumentException e) {
            throw new RequestException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RequestException(e.getMessage(), e);
        }
    }

    private Outcome report(ExitStatus status) throws IOException {
        beginReport();
        try {
            return reply.exited(status.shellCode());
        } catch (IOException e) {
            String why = cancelReason;
            throw new IOException(why.isEmpty() ? e.getMessage() : "cancelled (" + why + ")", e);
        }
    }

    /** A signal the host asked for, delivered while the command may still be signalled. */
    void signal(int signal) {
        ProcessControl c = currentControl();
        if (c != null) {
            log.debug(() -> host.name() + ": delivering " + Signals.name(signal));
            c.deliver(signal);
        }
    }

    /** True once the final frame is written or being written: input frames no longer count. */
    boolean isReporting() {
        return reporting;
    }

    private void beginReport() {
        lock.lock();
        try {
            reporting = true;
        } finally {
            lock.unlock();
        }
    }

    /** The process control while the command may still be signalled; null before the spawn and once reported. */
    private ProcessControl currentControl() {
        return reporting ? null : control;
    }

    /**
     * Everything the session holds: the process killed and reaped, pump, relays, pipes and
     * terminal closed. Runs whatever happened before.
     */
    private void release() throws InterruptedException {
        ProcessControl c;
        Termination t;
        lock.lock();
        try {
            reporting = true;
            c = control;
            t = termination;
        } finally {
            lock.unlock();
        }
        if (c != null) {
            Termination.killAndReap(host.name(), c, log);
        }
        if (t != null) {
            t.join();
        }
        InputPump pump = stdio.pump();
        if (pump != null) {
            pump.stop();
        }
        stdio.release(host.connection());
        if (pump != null) {
            pump.await();
        }
        if (c != null) {
            c.child().close();
        }
        if (processes != null) {
            processes.release();
        }
    }
}
