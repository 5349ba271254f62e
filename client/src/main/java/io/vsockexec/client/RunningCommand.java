package io.vsockexec.client;

import io.vsockexec.protocol.Message;
import java.io.Closeable;
import java.io.IOException;

/**
 * What {@link PipeExecution} and {@link TtySession} share: a command whose frames a thread of its
 * own reads, while the caller sends signals, waits for the exit or cancels. Thread-safe.
 */
abstract sealed class RunningCommand implements Closeable permits PipeExecution, TtySession {
    final ExecCall call;
    final Completion completion = new Completion();

    RunningCommand(ExecCall call) {
        this.call = call;
    }

    /**
     * Sends signal {@code signal} (1 to 64, e.g. 15 for SIGTERM) to the command's process group.
     *
     * @throws IllegalArgumentException if {@code signal} is outside 1 to 64
     * @throws IOException if the command has ended or its connection broken
     */
    public void signal(int signal) throws IOException {
        call.send(new Message.Signal(signal));
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
        return completion.await(call);
    }

    /** True once the command has exited or its connection has failed. */
    public boolean isDone() {
        return completion.isDone();
    }

    /**
     * Cancels the command if it is still running (the agent stops its process group when the
     * connection closes) and releases the connection. Idempotent.
     */
    @Override
    public void close() {
        call.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + call.endpoint() + (isDone() ? ", done" : ", running") + "]";
    }
}
