package io.vsockexec.protocol;

/**
 * Where to extract a copy's tar stream in the guest: the payload of {@link MessageType#COPY_IN}, a
 * vsockexec extension. Encoded by {@link CopyPayloads}; docs/PROTOCOL.md has the rules that place
 * the archive.
 *
 * @param path the destination, an absolute path in the guest, as the user wrote it: a trailing
 *     {@code /} says it must be a directory; null becomes empty
 * @param into true: {@code path} is an existing directory and the archive is extracted into it as
 *     it is (a tar stream from standard input, several sources); false: the archive's first entry
 *     is placed at {@code path} as {@code docker cp} places its source
 * @param user who the copied files belong to, as {@link ExecRequest#user()} names a user; empty
 *     for the agent's own user; null becomes empty
 */
public record CopyInRequest(String path, boolean into, String user) {
    public CopyInRequest {
        path = Values.optional(path);
        user = Values.optional(user);
    }
}
