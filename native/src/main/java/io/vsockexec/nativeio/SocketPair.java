package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.VhostLibc;
import java.io.IOException;
import java.util.Objects;

/** Two connected Unix stream sockets (socketpair(2)), each end a non-blocking {@link Descriptor}. */
public final class SocketPair {
    private SocketPair() {}

    /**
     * Creates a connected pair.
     *
     * @param name what the pair is, for messages; the ends are named {@code name + " (0)"} and {@code (1)}
     * @return the two ends
     */
    public static Descriptor[] create(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        int[] fds = new int[2];
        ErrnoException.check(VhostLibc.socketpair(fds), "socketpair", name);
        Descriptor first;
        try {
            first = Descriptor.adopt(fds[0], name + " (0)");
        } catch (IOException | RuntimeException e) {
            Libc.close(fds[1]); // adopt closed the first on failure
            throw e;
        }
        try {
            return new Descriptor[] {first, Descriptor.adopt(fds[1], name + " (1)")};
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
    }
}
