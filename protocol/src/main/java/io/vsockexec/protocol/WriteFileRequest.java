package io.vsockexec.protocol;

/**
 * A file to write: the payload of {@link MessageType#WRITE_FILE}, and Go's {@code WriteFileRequest}.
 * Encoded by {@link FileRequestPayloads}, which can also encode and decode it with the content streamed
 * rather than held in a record ({@link FileRequestPayloads#writeFileRequest},
 * {@link FileRequestPayloads#decodeWriteFile}).
 *
 * <p>{@link #toString} shows the content's length only ({@link Bytes}).
 *
 * @param path where to write, in the guest; null becomes empty
 * @param content the file's bytes; null becomes empty
 * @param mode Go {@code os.FileMode} bits ({@link GoFileMode}), 0 to 4294967295; 0 means 0644
 */
public record WriteFileRequest(String path, Bytes content, long mode) {

    /** @throws IllegalArgumentException if {@code mode} does not fit 32 bits */
    public WriteFileRequest {
        path = Values.optional(path);
        content = Values.bytes(content);
        GoFileMode.checkU32(mode, "mode");
    }

    @Override
    public String toString() {
        return "WriteFileRequest[path=" + path + ", content=" + content + ", mode=0"
                + Long.toOctalString(mode) + "]";
    }
}
