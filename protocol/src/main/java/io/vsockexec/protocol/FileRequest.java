package io.vsockexec.protocol;

/**
 * A path: the payload of {@link MessageType#READ_FILE} and {@link MessageType#LIST_FILES}, Go's
 * {@code ReadFileRequest} and {@code ListFilesRequest} (the same one field). Encoded by
 * {@link FileRequestPayloads}.
 *
 * @param path the file or directory in the guest; null becomes empty (the JSON always has it)
 */
public record FileRequest(String path) {
    public FileRequest {
        path = Values.optional(path);
    }
}
