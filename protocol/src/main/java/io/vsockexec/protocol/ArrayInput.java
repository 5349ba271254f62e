package io.vsockexec.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An input stream that works on whole ranges of arrays, as the project's own streams do: a single
 * byte is read as a range of one, and every range is checked here before {@link #readRange} sees it.
 */
public abstract class ArrayInput extends InputStream {
    /** For subclasses. */
    protected ArrayInput() {}

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return readRange(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return readRange(b, off, len);
    }

    /**
     * Reads up to {@code len} bytes into {@code b} from {@code off}, as {@link InputStream#read(byte[], int, int)}
     * does; the range is valid.
     */
    protected abstract int readRange(byte[] b, int off, int len) throws IOException;
}
