package io.vsockexec.agent;

import io.vsockexec.nativeio.Descriptor;
import java.io.IOException;

/**
 * One output pipe of a buffered exec, read by the session's own thread (see
 * {@code Session.collect}) into its {@link OutputBuffer}.
 *
 * @param source the parent's end of the pipe
 * @param sink where the bytes go; the buffer keeps what fits its budget and counts the rest
 */
record BufferedOutput(Descriptor source, OutputRelay.Sink sink) {
    /** The most one read takes. */
    static final int CHUNK = 16 * 1024;
    /** The scratch array a session reads with: {@link #CHUNK} after the room every {@link OutputRelay.Sink} is given. */
    static final int SCRATCH = OutputRelay.HEADER_ROOM + CHUNK;

    /** One read of what the pipe holds now; false at end of file. */
    boolean read(byte[] scratch) throws IOException {
        int n = source.readAvailable(scratch, OutputRelay.HEADER_ROOM, CHUNK);
        if (n > 0) {
            sink.accept(scratch, OutputRelay.HEADER_ROOM, n);
        }
        return n >= 0;
    }

    /**
     * Takes what the pipe holds now, up to {@link OutputRelay#FINAL_BUDGET} bytes, for a pipe that
     * something still holds open after the command exited.
     */
    void finish(byte[] scratch) throws IOException {
        int budget = OutputRelay.FINAL_BUDGET;
        int n;
        while (budget > 0 && (n = source.readAvailable(scratch, OutputRelay.HEADER_ROOM, Math.min(CHUNK, budget))) > 0) {
            sink.accept(scratch, OutputRelay.HEADER_ROOM, n);
            budget -= n;
        }
    }
}
