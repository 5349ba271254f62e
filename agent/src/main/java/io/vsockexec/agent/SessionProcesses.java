package io.vsockexec.agent;

import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.SpawnSpec;

/**
 * Every process one session started, beyond the command's own process groups, which
 * {@link ProcessControl} signals itself: what a {@link ProcessContainment} can find of the rest
 * (daemons that left with {@code setsid}, double forks). Made per session, before its command is
 * spawned; {@link #release()} once the command is reaped.
 */
interface SessionProcesses {
    /** Adds to the command's spawn what contains it from its start (a cgroup); returns {@code spawn}. */
    SpawnSpec.Builder prepare(SpawnSpec.Builder spawn);

    /** The command runs: {@code child}. */
    void started(ChildProcess child);

    /**
     * Sends {@code signal} to every process of the session this containment can find.
     *
     * @return true if any process received it
     */
    boolean signalAll(int signal);

    /** True while any process of the session this containment can see is alive. */
    boolean anyAlive();

    /** SIGKILL to every process of the session this containment can find, escapees included. */
    void killAll();

    /** The session is over and its command reaped: frees what the containment held for it. */
    void release();
}
