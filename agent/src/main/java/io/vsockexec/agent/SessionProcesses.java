package io.vsockexec.agent;

import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.SpawnException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every process one session started, beyond the command's own process groups, which
 * {@link ProcessControl} signals itself: what a {@link ProcessContainment} can find of the rest
 * (daemons that left with {@code setsid}, double forks). Made per session, before its command is
 * spawned; {@link #release()} once the command is reaped.
 */
interface SessionProcesses {
    /**
     * The argument vector to spawn instead of {@code argv}, which runs {@code argv} so that it
     * is contained from its first instruction on; {@code argv} itself if nothing is needed.
     *
     * @param environment the command's whole environment, which the result must hand on unchanged
     * @param workingDirectory where the command starts; null for the agent's own directory
     * @throws SpawnException if a wrapper is needed and {@code argv[0]} cannot be executed: a
     *     wrapper could not report that as the spawn itself does
     */
    List<String> wrap(List<String> argv, Map<String, String> environment, Path workingDirectory) throws SpawnException;

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
