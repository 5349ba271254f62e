package io.vsockexec.client;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command's input as an {@link OutputStream}: each write goes out at once as Stdin frames (no
 * buffering, so keystrokes are not held back). In pipe mode {@link #close()} sends the empty Stdin
 * frame that closes the command's input; on a terminal it only stops further writes, since the
 * terminal's end of input is the byte 0x04 (^D).
 */
final class StdinStream extends OutputStream {
    private final Session session;
    private final boolean endOfInputOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    StdinStream(Session session, boolean endOfInputOnClose) {
        this.session = session;
        this.endOfInputOnClose = endOfInputOnClose;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed.get()) {
            throw new IOException("the command's standard input is closed");
        }
        int chunk = session.stdinChunk();
        for (int done = 0; done < len; done += chunk) {
            session.sendStdin(b, off + done, Math.min(chunk, len - done));
        }
    }

    /** Sends end of input (pipe mode), once. A session that has already ended needs none. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && endOfInputOnClose && !session.isClosed()) {
            session.sendStdin(new byte[0], 0, 0);
        }
    }
}
