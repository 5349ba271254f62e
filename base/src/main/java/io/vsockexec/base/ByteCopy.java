package io.vsockexec.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies raw bytes from a stream to another until end of stream, through one buffer of its own
 * that starts at 4 KiB and doubles up to 64 KiB while reads fill it: an idle or chatty connection
 * keeps a small buffer, a bulk transfer gets large writes. Each write is passed on at once. The
 * agent's end of a port forward and the command line's {@code port-forward} relay with it.
 */
public final class ByteCopy {
    private static final int FIRST = 4 * 1024;
    private static final int LARGEST = 64 * 1024;

    private ByteCopy() {}

    /**
     * Copies until {@code in} ends; neither stream is closed.
     *
     * @return the number of bytes copied
     * @throws IOException from either stream, as it was thrown
     */
    public static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[FIRST];
        long total = 0;
        while (true) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return total;
            }
            out.write(buffer, 0, n);
            total += n;
            if (n == buffer.length && buffer.length < LARGEST) {
                buffer = new byte[buffer.length * 2];
            }
        }
    }
}
