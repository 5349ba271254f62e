package io.vsockexec.client;

import io.vsockexec.protocol.Message;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command running in pipe mode ({@code ExecPipe}): its output goes live to the streams given at
 * the start, its input comes from an input stream pumped for you or from {@link #stdin()}, and
 * signals can be sent while it runs. Made by {@link VsockExecClient#startPipe}.
 *
 * <pre>{@code
 * try (PipeExecution p = client.startPipe(Command.argv("cat"), null, System.out, System.err)) {
 *     p.stdin().write("hello\n".getBytes(UTF_8));
 *     p.stdin().close();                 // end of input: cat exits
 *     int code = p.waitFor().exitCode();
 * }                                      // close() cancels the command if it is still running
 * }</pre>
 *
 * <p>Thread-safe: one thread may write input while another sends signals and a third waits.
 */
public final class PipeExecution implements Closeable {
    private final Session session;
    private final Completion completion = new Completion();
    private final OutputStream stdin;

    private PipeExecution(Session session, boolean pumped) {
        this.session = session;
        this.stdin = pumped ? null : new StdinStream(session, true);
    }

    /** Starts reading the session's frames on a virtual thread, and pumping {@code input} if given. */
    static PipeExecution start(Session session, InputStream input, OutputStream stdout, OutputStream stderr) {
        PipeExecution execution = new PipeExecution(session, input != null);
        Thread.ofVirtual().name("vsockexec-pipe " + session.endpoint()).start(() -> Relay.complete(session, stdout,
                stderr, "relaying the command's output", execution.completion, ended -> { }));
        if (input != null) {
            StdinPump.start(session, input);
        }
        return execution;
    }

    /**
     * The command's standard input: writes go out at once; {@code close()} sends end of input.
     *
     * @throws IllegalStateException if an input stream was given at the start, which is pumped
     *     instead
     */
    public OutputStream stdin() {
        if (stdin == null) {
            throw new IllegalStateException("this execution's input comes from the stream given to startPipe");
        }
        return stdin;
    }

    /**
     * Sends signal {@code signal} (1 to 64, e.g. 15 for SIGTERM) to the command's process group.
     *
     * @throws IllegalArgumentException if {@code signal} is outside 1 to 64
     * @throws IOException if the session has ended or broken
     */
    public void signal(int signal) throws IOException {
        session.send(new Message.Signal(signal));
    }

    /**
     * Waits for the command to exit and returns its exit code and duration. Being interrupted
     * cancels the command and throws {@link java.io.InterruptedIOException}.
     *
     * @throws ExecTimeoutException if the command's time limit passed
     * @throws ExecCancelledException if {@link #close()} cancelled it
     * @throws VsockExecException for the other failures, see {@link VsockExecClient}
     */
    public ExecStatus waitFor() throws IOException {
        return completion.await(session);
    }

    /** True once the command has exited or the session has failed. */
    public boolean isDone() {
        return completion.isDone();
    }

    /**
     * Cancels the command if it is still running (the agent stops its process group when the
     * connection closes) and releases the connection. Idempotent.
     */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "PipeExecution[" + session.endpoint() + (isDone() ? ", done" : ", running") + "]";
    }
}
