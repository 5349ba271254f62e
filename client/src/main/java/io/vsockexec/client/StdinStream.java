package io.vsockexec.client;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command's input as an {@link java.io.OutputStream}: each write goes out at once as Stdin frames (no
 * buffering, so keystrokes are not held back). In pipe mode {@link #close()} sends the empty Stdin
 * frame that closes the command's input; on a terminal it only stops further writes, since the
 * terminal's end of input is the byte 0x04 (^D).
 */
final class StdinStream extends ArrayOutput {
    private final ExecCall call;
    private final boolean endOfInputOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    StdinStream(ExecCall call, boolean endOfInputOnClose) {
        this.call = call;
        this.endOfInputOnClose = endOfInputOnClose;
    }

    @Override
    void writeRange(byte[] b, int off, int len) throws IOException {
        if (closed.get()) {
            throw new IOException("the command's standard input is closed");
        }
        int chunk = call.stdinChunk();
        for (int done = 0; done < len; done += chunk) {
            call.sendStdin(b, off + done, Math.min(chunk, len - done));
        }
    }

    /** Sends end of input (pipe mode), once. A call that has already ended needs none. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && endOfInputOnClose && !call.isClosed()) {
            call.sendStdin(new byte[0], 0, 0);
        }
    }
}
