package io.vsockexec.client;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An output stream that works on whole ranges of arrays, as the SDK's own streams do: a single
 * byte is written as a range of one, every range is checked here, and an empty one is no write.
 */
abstract class ArrayOutput extends OutputStream {
    @Override
    public final void write(int b) throws IOException {
        writeRange(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            writeRange(b, off, len);
        }
    }

    /** Writes {@code len} bytes, at least one, of {@code b} from {@code off}; the range is valid. */
    abstract void writeRange(byte[] b, int off, int len) throws IOException;
}
