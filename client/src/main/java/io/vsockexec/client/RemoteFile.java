package io.vsockexec.client;

/**
 * One entry of a directory in the VM, as {@link VsockExecClient#list} returns it: the entry itself,
 * not what a symbolic link points to.
 *
 * @param name the entry's name in its directory
 * @param size its size in bytes
 * @param mode its POSIX {@code st_mode}: file type and permission bits, e.g. {@code 040750} for a
 *     directory of mode 0750 (converted from the Go file mode bits on the wire); a type POSIX does
 *     not know has no type bits
 * @param isDirectory whether it is a directory (a symbolic link to one is not)
 */
public record RemoteFile(String name, long size, int mode, boolean isDirectory) {
    private static final int S_IFMT = 0170000;

    /** The permission bits, setuid, setgid and sticky included: {@code mode & 07777}. */
    public int permissions() {
        return mode & 07777;
    }

    /** Whether it is a regular file. */
    public boolean isRegularFile() {
        return (mode & S_IFMT) == 0100000;
    }

    /** Whether it is a symbolic link. */
    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == 0120000;
    }
}
