package io.vsockexec.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a file operation: the payload of {@link MessageType#FILE_RESULT}, and Go's
 * {@code FileResponse}. A successful write has every field empty ({@code {}} on the wire), a
 * read has {@code content}, a listing has {@code files}, a failure has {@code error}. Encoded by
 * {@link FileResultPayloads}, which can also encode a read's reply with the content streamed
 * ({@link FileResultPayloads#fileResultWithContent}).
 *
 * <p>A null field becomes empty; the list is an unmodifiable copy. {@link #toString} shows the
 * content's length ({@link Bytes}) and the number of entries only.
 *
 * @param content the file that was read; empty otherwise
 * @param files the entries of the directory that was listed; empty otherwise
 * @param error why the operation failed, or empty
 */
public record FileResponse(Bytes content, List<FileInfo> files, String error) {

    public FileResponse {
        content = Values.bytes(content);
        files = files == null ? List.of() : List.copyOf(files);
        error = Values.optional(error);
    }

    /** The reply to a successful write: {@code {}}. */
    public static FileResponse ok() {
        return new FileResponse(null, null, null);
    }

    /** A failed operation. */
    public static FileResponse failed(String error) {
        return new FileResponse(null, null, Objects.requireNonNull(error, "error"));
    }

    @Override
    public String toString() {
        return "FileResponse[content=" + content + ", files=" + files.size() + " entries, error="
                + error + "]";
    }
}
