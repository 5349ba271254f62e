package io.vsockexec.protocol;

/**
 * The outcome of a copy: the payload of {@link MessageType#COPY_RESULT}, a vsockexec extension,
 * the last frame of {@link MessageType#COPY_IN} and {@link MessageType#COPY_OUT}. Encoded by
 * {@link CopyPayloads}.
 *
 * @param entries the archive entries the agent extracted or sent: files, directories, links
 * @param bytes the content bytes of the regular files among them
 * @param skipped entries left out: sockets, named pipes and devices, which a copy does not carry
 * @param warning what was skipped, e.g. {@code /run/a.sock: socket not copied}, naming the first
 *     and counting the others; empty if nothing was; null becomes empty
 * @param error why the copy failed or was refused, or empty; null becomes empty
 */
public record CopyResponse(long entries, long bytes, long skipped, String warning, String error) {
    /** @throws IllegalArgumentException for a negative count */
    public CopyResponse {
        if (entries < 0 || bytes < 0 || skipped < 0) {
            throw new IllegalArgumentException("copy counts must not be negative: entries=" + entries + " bytes="
                    + bytes + " skipped=" + skipped);
        }
        warning = Values.optional(warning);
        error = Values.optional(error);
    }

    /** A copy refused or failed before anything was done. */
    public static CopyResponse failed(String error) {
        return new CopyResponse(0, 0, 0, "", java.util.Objects.requireNonNull(error, "error"));
    }
}
