package io.vsockexec.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file to write: the payload of {@link MessageType#WRITE_FILE}, and Go's {@code WriteFileRequest}.
 * Encoded by {@link FileRequestPayloads}, which can also encode and decode it with the content streamed
 * rather than held in a record ({@link FileRequestPayloads#writeFileRequest},
 * {@link FileRequestPayloads#decodeWriteFile}).
 *
 * <p>{@code content} is a private copy and {@link #content()} returns one; {@link #equals}
 * compares it by content; {@link #toString} shows its length only.
 *
 * @param path where to write, in the guest; null becomes empty
 * @param content the file's bytes; null becomes empty
 * @param mode Go {@code os.FileMode} bits ({@link GoFileMode}), 0 to 4294967295; 0 means 0644
 */
public record WriteFileRequest(String path, byte[] content, long mode) {

    /** @throws IllegalArgumentException if {@code mode} does not fit 32 bits */
    public WriteFileRequest {
        path = Values.optional(path);
        content = Values.bytes(content);
        GoFileMode.checkU32(mode, "mode");
    }

    /** A copy of the content. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content itself, for {@link FileRequestPayloads} to encode without a copy. */
    byte[] sharedContent() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteFileRequest r && path.equals(r.path) && Arrays.equals(content, r.content)
                && mode == r.mode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(content), mode);
    }

    @Override
    public String toString() {
        return "WriteFileRequest[path=" + path + ", content=" + Values.describe(content) + ", mode=0"
                + Long.toOctalString(mode) + "]";
    }
}
