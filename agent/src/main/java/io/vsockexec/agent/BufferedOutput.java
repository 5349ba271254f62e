package io.vsockexec.agent;

import io.vsockexec.nativeio.Descriptor;
import java.io.IOException;

/**
 * One output pipe of a buffered exec, read by the session's own thread (see
 * {@link BufferedCollection}) straight into its {@link OutputBuffer}'s chunks.
 *
 * @param source the parent's end of the pipe
 * @param buffer where the bytes go; it keeps what fits its limit and counts the rest
 * @param stream which of the two outputs this is
 */
record BufferedOutput(Descriptor source, OutputBuffer buffer, OutputBuffer.Stream stream) {
    /** The most one read takes. */
    static final int CHUNK = 16 * 1024;

    /** One read of what the pipe holds now (memory for it is reserved first, which may wait); false at end of file. */
    boolean read() throws IOException {
        return readAtMost(CHUNK) >= 0;
    }

    /**
     * Takes what the pipe holds now, up to {@link OutputRelay#FINAL_BUDGET} bytes, for a pipe that
     * something still holds open after the command exited.
     */
    void finish() throws IOException {
        int budget = OutputRelay.FINAL_BUDGET;
        int n;
        while (budget > 0 && (n = readAtMost(Math.min(CHUNK, budget))) > 0) {
            budget -= n;
        }
    }

    /** One read of at most {@code max} bytes; what it returned. */
    private int readAtMost(int max) throws IOException {
        OutputBuffer.Target target = buffer.target(stream, max);
        int n = source.readAvailable(target.array(), target.offset(), target.length());
        if (n > 0) {
            buffer.arrived(stream, target, n);
        }
        return n;
    }
}
