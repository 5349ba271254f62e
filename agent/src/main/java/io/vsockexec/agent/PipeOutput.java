package io.vsockexec.agent;

import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * What becomes of a command's stdout and stderr pipes: relayed to the host as they come
 * ({@link OutputRelays}), or collected for one reply ({@link BufferedCollection}).
 */
interface PipeOutput {
    /** True for bulk streams, which get bigger pipes. */
    boolean bulk();

    /** Starts reading the pipes, if that takes threads of its own. */
    void start(Pipe stdout, Pipe stderr, Consumer<IOException> hostGone);

    /** As {@link ExecStdio#awaitExit}. */
    ExitStatus awaitExit(ChildProcess child, Runnable startHostInput) throws IOException, InterruptedException;

    /** Waits for the readers to end once the pipes are closed; {@code connection} is closed if one is stuck. */
    void release(Connection connection) throws InterruptedException;
}
