package io.vsockexec.protocol;

/**
 * One entry of a directory listing, as the Go agent's {@code FileInfo} reports it: the entry
 * itself, not what a symbolic link points to ({@code lstat}).
 *
 * @param name the entry's name in its directory; null becomes empty
 * @param size its size in bytes ({@code st_size}), a Go {@code int64}
 * @param mode Go {@code os.FileMode} bits ({@link GoFileMode}): type flags and permissions, 0 to
 *     4294967295; e.g. a 0750 directory is {@code DIR | 0750} = 2147484136
 * @param isDir whether it is a directory (a symbolic link to one is not)
 */
public record FileInfo(String name, long size, long mode, boolean isDir) {
    /** @throws IllegalArgumentException if {@code mode} does not fit 32 bits */
    public FileInfo {
        name = Values.optional(name);
        GoFileMode.checkU32(mode, "mode");
    }
}
