package io.vsockexec.client;

import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.Message;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Reads a streaming session's frames until its final one, writing output to the caller's streams
 * as it arrives. Shared by the stream, pipe and terminal modes: each ends with {@code Exit} or
 * {@code ExecResult}, and either is accepted in every mode, so an agent that answers a pipe or
 * terminal request with an {@code ExecResult} error is understood too.
 */
final class Relay {
    private Relay() {}

    /**
     * Relays until the final frame and returns the exit code; the session is finished afterwards.
     *
     * @throws RemoteExecException if the final {@code ExecResult} carries an error
     */
    static int run(Session session, OutputStream stdout, OutputStream stderr) throws IOException {
        while (true) {
            Frame frame = session.next();
            switch (frame.type()) {
                case STDOUT -> deliver(session, stdout, frame.payload(), "output");
                case STDERR -> deliver(session, stderr, frame.payload(), "error");
                case EXIT -> {
                    session.finish();
                    return ((Message.Exit) session.decode(frame)).code();
                }
                case EXEC_RESULT -> {
                    ExecResponse response = ((Message.ExecResult) session.decode(frame)).response();
                    // A streaming agent sends no output here; one that does must not lose it.
                    deliver(session, stdout, response.stdout(), "output");
                    deliver(session, stderr, response.stderr(), "error");
                    session.finish();
                    checkError(session, response);
                    return response.exitCode();
                }
                default -> throw session.unexpected(frame);
            }
        }
    }

    /** Throws the agent's error, if its response has one. */
    static void checkError(Session session, ExecResponse response) throws RemoteExecException {
        if (!response.error().isEmpty()) {
            throw new RemoteExecException("agent at " + session.endpoint() + " reported an error: "
                    + response.error(), response.error(), response.exitCode());
        }
    }

    /**
     * Writes and flushes, so output reaches the caller live. A stream that fails ends the session
     * (the agent stops the command, as ssh's remote side does when its client goes away).
     */
    private static void deliver(Session session, OutputStream sink, byte[] data, String which) throws IOException {
        if (data.length == 0) {
            return;
        }
        try {
            sink.write(data);
            sink.flush();
        } catch (VsockExecException | InterruptedIOException e) {
            session.abort(e);
            throw e;
        } catch (IOException e) {
            VsockExecException failure = new VsockExecException("writing the command's standard " + which
                    + " failed: " + ExceptionText.of(e), e);
            session.abort(failure);
            throw failure;
        }
    }
}
