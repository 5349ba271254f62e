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
 * Reads a streaming call's frames until its final one, writing output to the caller's streams
 * as it arrives. Shared by the stream, pipe and terminal modes: each ends with {@code Exit} or
 * {@code ExecResult}, and either is accepted in every mode, so an agent that answers a pipe or
 * terminal request with an {@code ExecResult} error is understood too.
 */
final class Relay {
    private Relay() {}

    /**
     * Relays until the final frame and returns the exit code; the call is finished afterwards.
     *
     * @throws RemoteExecException if the final {@code ExecResult} carries an error
     */
    static int run(ExecCall call, OutputStream stdout, OutputStream stderr) throws IOException {
        Spare spare = new Spare();
        while (true) {
            Frame frame = call.next(spare);
            switch (frame.type()) {
                case STDOUT -> spare.keep(deliver(call, stdout, frame.payload(), "output"));
                case STDERR -> spare.keep(deliver(call, stderr, frame.payload(), "error"));
                case EXIT -> {
                    call.finish();
                    return ((Message.Exit) call.decode(frame)).code();
                }
                case EXEC_RESULT -> {
                    ExecResponse response = ((Message.ExecResult) call.decode(frame)).response();
                    // A streaming agent sends no output here; one that does must not lose it.
                    deliver(call, stdout, response.stdout().toByteArray(), "output");
                    deliver(call, stderr, response.stderr().toByteArray(), "error");
                    call.finish();
                    checkError(call, response);
                    return response.exitCode();
                }
                default -> throw call.unexpected(frame);
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
    static void complete(ExecCall call, OutputStream stdout, OutputStream stderr, String what,
            Completion completion, Consumer<IOException> ended) {
        IOException failure;
        try {
            int code = run(call, stdout, stderr);
            ended.accept(null);
            completion.succeed(new ExecStatus(code, call.elapsed()));
            return;
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            // A caller's output stream threw something unchecked: end the call, report it.
            failure = new VsockExecException(what + " failed: " + ExceptionText.of(e), e);
            call.abort(failure);
        }
        ended.accept(failure);
        completion.fail(failure);
    }

    /** Throws the agent's error, if its response has one. */
    static void checkError(ExecCall call, ExecResponse response) throws RemoteExecException {
        if (!response.error().isEmpty()) {
            throw new RemoteExecException("agent at " + call.endpoint() + " reported an error: "
                    + response.error(), response.error(), response.exitCode());
        }
    }

    /**
     * Writes and flushes, so output reaches the caller live. A stream that fails ends the call
     * (the agent stops the command, as ssh's remote side does when its client goes away).
     */
    private static byte[] deliver(ExecCall call, OutputStream sink, byte[] data, String which) throws IOException {
        if (data.length == 0) {
            return data;
        }
        try {
            sink.write(data);
            sink.flush();
            return data;
        } catch (VsockExecException | InterruptedIOException e) {
            call.abort(e);
            throw e;
        } catch (IOException e) {
            VsockExecException failure = new VsockExecException("writing the command's standard " + which
                    + " failed: " + ExceptionText.of(e), e);
            call.abort(failure);
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
