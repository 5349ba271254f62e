package io.vsockexec.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Collects output the caller did not give a stream for, up to a limit; more fails the exec
 * rather than being dropped without a word.
 */
final class BoundedOutput extends ArrayOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private final String which;

    BoundedOutput(int limit, String which) {
        this.limit = limit;
        this.which = which;
    }

    @Override
    void writeRange(byte[] b, int off, int len) throws IOException {
        if (len > limit - bytes.size()) {
            throw new VsockExecException("the command's standard " + which + " exceeded " + limit
                    + " bytes, the limit for collected output; pass an OutputStream to stream it");
        }
        bytes.write(b, off, len);
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
