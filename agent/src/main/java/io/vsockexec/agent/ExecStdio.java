package io.vsockexec.agent;

import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pty;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.protocol.WindowSize;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The command's descriptors 0, 1 and 2 for one session, and everything that moves bytes through
 * them: pipes or a terminal, the relays of its output (or the buffered collection of it), the
 * pump of its input. The mode picks the kind ({@link PipeStdio}, {@link TerminalStdio}); the
 * session calls open, start, awaitExit and release in that order, and the host's input may
 * arrive at any time in between.
 */
interface ExecStdio {
    /**
     * Opens the pipes or the terminal and gives them to {@code spec}.
     *
     * @throws IOException saying what could not be set up ({@code cannot set up the command's terminal: ...})
     */
    SpawnSpec.Builder open(SpawnSpec.Builder spec) throws IOException;

    /** The terminal, or null: where the host's signals and the cancellation go (see {@link ProcessControl}). */
    Pty terminal();

    /**
     * Starts moving bytes, once the command runs; called with the session's lock held.
     *
     * @param hostGone what a relay calls, with the failure, when it can no longer write to the host
     */
    void start(Consumer<IOException> hostGone);

    /**
     * Waits for the command's exit and reads its output to the end (or until the drain timeout).
     *
     * @param startHostInput starts the reader of the connection: at once, or when the host sends something
     */
    ExitStatus awaitExit(ChildProcess child, Runnable startHostInput) throws IOException, InterruptedException;

    /** Input from the host's {@code Stdin} frame; empty means end of input, which each kind says its own way. */
    void input(byte[] bytes);

    /** The host's terminal has a new size; nothing without a terminal. */
    void resize(WindowSize size);

    /**
     * The pump of the command's input, or null: the reader of the connection reads into its
     * arrays, and ends it when the host has gone; the session stops it before {@link #release}.
     */
    InputPump pump();

    /**
     * Closes what {@link #open} opened and waits for the relays to end; a relay blocked on a host
     * that does not read is woken by closing {@code connection}.
     */
    void release(Connection connection) throws InterruptedException;
}
