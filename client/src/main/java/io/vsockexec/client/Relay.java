package io.vsockexec.client;

import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.Message;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.function.Consumer;
import java.util.function.IntFunction;

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
        Spare spare = new Spare();
        while (true) {
            Frame frame = session.next(spare);
            switch (frame.type()) {
                case STDOUT -> spare.keep(deliver(session, stdout, frame.payload(), "output"));
                case STDERR -> spare.keep(deliver(session, stderr, frame.payload(), "error"));
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

    /**
     * {@link #run} for a handle form ({@link PipeExecution}, {@link TtySession}), on the thread that
     * reads its frames: sets {@code completion} to the exit status or the failure, after telling
     * {@code ended} (null after an exit) so that it is done before a waiter sees the outcome.
     *
     * @param what what fails if a caller's stream throws something unchecked, for the message
     */
    static void complete(Session session, OutputStream stdout, OutputStream stderr, String what,
            Completion completion, Consumer<IOException> ended) {
        IOException failure;
        try {
            int code = run(session, stdout, stderr);
            ended.accept(null);
            completion.succeed(new ExecStatus(code, session.elapsed()));
            return;
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            // A caller's output stream threw something unchecked: end the session, report it.
            failure = new VsockExecException(what + " failed: " + ExceptionText.of(e), e);
            session.abort(failure);
        }
        ended.accept(failure);
        completion.fail(failure);
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
    private static byte[] deliver(Session session, OutputStream sink, byte[] data, String which) throws IOException {
        if (data.length == 0) {
            return data;
        }
        try {
            sink.write(data);
            sink.flush();
            return data;
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

    /**
     * The payload array of the output frame delivered last, for the next frame of the same length:
     * a bulk stream (64 KiB frames) then reuses one array instead of allocating one per frame. An
     * {@link OutputStream} does not keep the array it is given once {@code write} returns.
     */
    private static final class Spare implements IntFunction<byte[]> {
        private byte[] array;

        void keep(byte[] delivered) {
            array = delivered;
        }

        @Override
        public byte[] apply(int length) {
            byte[] a = array;
            if (a != null && a.length == length) {
                array = null;
                return a;
            }
            return new byte[length];
        }
    }
}
