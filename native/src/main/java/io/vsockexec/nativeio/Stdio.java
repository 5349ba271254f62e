package io.vsockexec.nativeio;

import java.util.Objects;

/**
 * What a child gets as one of its standard descriptors (0, 1 or 2). A child inherits nothing
 * else from this process: each one is a pipe, {@code /dev/null}, or a pseudo-terminal's slave.
 */
public sealed interface Stdio {

    /** The child's end of {@code pipe}; its direction must match (see {@link Pipe.Direction}). */
    static Stdio pipe(Pipe pipe) {
        return new PipeEnd(pipe);
    }

    /** {@code /dev/null}: reads see end of stream at once, writes are discarded. */
    static Stdio nullDevice() {
        return NullDevice.INSTANCE;
    }

    /** The slave of {@code pty}, which becomes the child's controlling terminal (needs a new session). */
    static Stdio terminal(Pty pty) {
        return new Terminal(pty);
    }

    /** The child's end of a pipe. */
    record PipeEnd(Pipe pipe) implements Stdio {
        public PipeEnd {
            Objects.requireNonNull(pipe, "pipe");
        }
    }

    /** {@code /dev/null}. */
    enum NullDevice implements Stdio {
        INSTANCE
    }

    /** A pseudo-terminal's slave. */
    record Terminal(Pty pty) implements Stdio {
        public Terminal {
            Objects.requireNonNull(pty, "pty");
        }
    }
}
