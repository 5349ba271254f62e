package io.vsockexec.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * This process's standard output or error as raw bytes, written through at once (no buffer to
 * forget to flush, no charset). Remembers a broken pipe, so that {@code vsockexec exec ... | head}
 * can end quietly as a shell pipeline does rather than report an error.
 */
final class LocalOutput extends OutputStream {
    private final FileOutputStream out;
    private volatile boolean brokenPipe;

    private LocalOutput(FileDescriptor fd) {
        this.out = new FileOutputStream(fd);
    }

    /** Standard output. */
    static LocalOutput stdout() {
        return new LocalOutput(FileDescriptor.out);
    }

    /** Standard error. */
    static LocalOutput stderr() {
        return new LocalOutput(FileDescriptor.err);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            // The JDK reports EPIPE only through the message; the JVM ignores SIGPIPE itself.
            if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
                brokenPipe = true;
            }
            throw e;
        }
    }

    /** True once a write found the reader gone. */
    boolean brokenPipe() {
        return brokenPipe;
    }

    /** Leaves the descriptor open: it belongs to the process. */
    @Override
    public void close() {
    }
}
