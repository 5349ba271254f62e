package io.vsockexec.protocol;

/**
 * What to send from the guest as a tar stream: the payload of {@link MessageType#COPY_OUT}, a
 * vsockexec extension. Encoded by {@link CopyPayloads}.
 *
 * @param path the source, an absolute path in the guest, as the user wrote it: ending in
 *     {@code /.}, the directory's content rather than the directory; ending in {@code /}, a
 *     symbolic link there is followed; null becomes empty
 * @param followLink true: a symbolic link at {@code path} is followed ({@code docker cp -L});
 *     false: it is sent as a link
 */
public record CopyOutRequest(String path, boolean followLink) {
    public CopyOutRequest {
        path = Values.optional(path);
    }
}
