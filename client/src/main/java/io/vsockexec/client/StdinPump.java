package io.vsockexec.client;

import io.vsockexec.protocol.FrameDescriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Copies the caller's input stream into Stdin frames on a virtual thread, then sends the empty
 * Stdin frame that closes the command's input.
 *
 * <p>The pump never holds up the result: when the command ends, the caller gets its exit code at
 * once even if the pump is still blocked reading (a read from {@code System.in} cannot be
 * interrupted). The pump notices the end at its next chunk, drops that chunk and stops; as a
 * virtual thread it never keeps the JVM alive. If the input stream fails, the pump ends the call
 * with that failure rather than passing a truncated input off as complete.
 */
final class StdinPump implements Runnable {
    /** Frames of at most this size: large enough for throughput (a full pipe), small enough to interleave with signals. */
    static final int CHUNK = 64 * 1024;

    private final ExecCall call;
    private final InputStream input;

    private StdinPump(ExecCall call, InputStream input) {
        this.call = call;
        this.input = input;
    }

    /** Starts pumping {@code input} into {@code call}. */
    static Thread start(ExecCall call, InputStream input) {
        return Thread.ofVirtual().name("vsockexec-stdin " + call.endpoint()).start(new StdinPump(call, input));
    }

    @Override
    public void run() {
        // Input is read after room for the frame header, so each chunk goes out without a copy.
        byte[] frame = new byte[FrameDescriptor.PAYLOAD_OFFSET + call.stdinChunk()];
        try {
            while (!call.isClosed()) {
                int n = read(frame);
                if (n < 0) {
                    if (!call.isClosed()) {
                        call.sendStdinFrame(frame, 0);
                    }
                    return;
                }
                // A read of zero bytes must not become an empty frame: that would mean end of input.
                if (n > 0 && !call.isClosed()) {
                    call.sendStdinFrame(frame, n);
                }
            }
        } catch (IOException sendFailed) {
            // The call has ended or broken; the thread reading frames reports why.
        }
    }

    private int read(byte[] frame) throws IOException {
        try {
            return input.read(frame, FrameDescriptor.PAYLOAD_OFFSET, frame.length - FrameDescriptor.PAYLOAD_OFFSET);
        } catch (IOException e) {
            VsockExecException failure = new VsockExecException("reading the command's standard input failed: "
                    + ExceptionText.of(e) + " (the command on " + call.endpoint() + " was stopped)", e);
            call.abort(failure);
            throw failure;
        } catch (RuntimeException e) {
            VsockExecException failure = new VsockExecException("reading the command's standard input failed: "
                    + ExceptionText.of(e), e);
            call.abort(failure);
            throw failure;
        }
    }
}
