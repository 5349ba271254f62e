package io.vsockexec.protocol;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/**
 * The JSON of an {@link ExecResponse} whose output is not in arrays: the same bytes as
 * {@link ExecPayloads#encode(ExecResponse)}, written as they are produced. The JSON around the two
 * outputs is made first (so the length is known before the header goes out); each output is
 * base64-encoded straight from its source into the frame, so an agent holds the raw output
 * once and, while it encodes, one small buffer more.
 */
final class ExecResultPayload implements ByteSource {
    /** The JSON before stdout's base64, between the two outputs, after stderr's. */
    private final byte[] head;
    private final byte[] middle;
    private final byte[] tail;
    private final ByteSource stdout;
    private final ByteSource stderr;

    ExecResultPayload(int exitCode, ByteSource stdout, ByteSource stderr, String error) {
        this.stdout = stdout;
        this.stderr = stderr;
        JsonWriter out = new JsonWriter(64 + error.length());
        out.startObject();
        out.name("exit_code");
        out.number(exitCode);
        openOutput(out, "stdout", stdout);
        head = out.takeWritten();
        closeOutput(out, stdout);
        openOutput(out, "stderr", stderr);
        middle = out.takeWritten();
        closeOutput(out, stderr);
        if (!error.isEmpty()) {
            out.name("error");
            out.string(error);
        }
        out.endObject();
        tail = out.takeWritten();
    }

    /** An output's name and opening quote, if it is not empty (Go's {@code omitempty}). */
    private static void openOutput(JsonWriter out, String name, ByteSource output) {
        if (output.length() > 0) {
            out.name(name);
            out.openString();
        }
    }

    private static void closeOutput(JsonWriter out, ByteSource output) {
        if (output.length() > 0) {
            out.closeString();
        }
    }

    @Override
    public long length() {
        return head.length + base64Length(stdout.length()) + middle.length + base64Length(stderr.length())
                + tail.length;
    }

    /** The length of the padded base64 of {@code bytes} bytes. */
    static long base64Length(long bytes) {
        return (bytes + 2) / 3 * 4;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(head);
        writeBase64(stdout, out);
        out.write(middle);
        writeBase64(stderr, out);
        out.write(tail);
    }

    /** {@code source} as padded base64; the JDK's encoding stream carries the odd bytes between pieces. */
    private static void writeBase64(ByteSource source, OutputStream out) throws IOException {
        if (source.length() == 0) {
            return;
        }
        OutputStream keepOpen = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // the frame goes on: closing the encoder only writes its last bytes and padding
            }
        };
        try (OutputStream encoder = Base64.getEncoder().wrap(keepOpen)) {
            source.writeTo(encoder);
        }
    }

    @Override
    public String toString() {
        return "ExecResultPayload[" + length() + " bytes]";
    }
}
