package io.vsockexec.protocol;

/**
 * File modes as the Go reference sends them: Go's {@code os.FileMode} bits, not POSIX
 * {@code st_mode}. The permission bits are the same (0777); the file type and the setuid, setgid
 * and sticky bits are flags at the top of the 32 bits instead: a directory is {@link #DIR}
 * (1&lt;&lt;31), not {@code S_IFDIR} (040000). The fields {@code mode} of
 * {@link WriteFileRequest} and {@link FileInfo} carry these bits; this class converts them to and
 * from POSIX, as Go's {@code os} package does on Linux.
 */
public final class GoFileMode {
    /** {@code ModeDir}: a directory. */
    public static final long DIR = 1L << 31;
    /** {@code ModeAppend}: append-only; never set by a Linux stat. */
    public static final long APPEND = 1L << 30;
    /** {@code ModeExclusive}: exclusive use; never set by a Linux stat. */
    public static final long EXCLUSIVE = 1L << 29;
    /** {@code ModeTemporary}; never set by a Linux stat. */
    public static final long TEMPORARY = 1L << 28;
    /** {@code ModeSymlink}: a symbolic link. */
    public static final long SYMLINK = 1L << 27;
    /** {@code ModeDevice}: a block device, or with {@link #CHAR_DEVICE} a character device. */
    public static final long DEVICE = 1L << 26;
    /** {@code ModeNamedPipe}: a FIFO. */
    public static final long NAMED_PIPE = 1L << 25;
    /** {@code ModeSocket}: a Unix socket. */
    public static final long SOCKET = 1L << 24;
    /** {@code ModeSetuid}: POSIX {@code S_ISUID} (04000). */
    public static final long SETUID = 1L << 23;
    /** {@code ModeSetgid}: POSIX {@code S_ISGID} (02000). */
    public static final long SETGID = 1L << 22;
    /** {@code ModeCharDevice}: with {@link #DEVICE}, a character device. */
    public static final long CHAR_DEVICE = 1L << 21;
    /** {@code ModeSticky}: POSIX {@code S_ISVTX} (01000). */
    public static final long STICKY = 1L << 20;
    /** {@code ModeIrregular}: a file of no known type. */
    public static final long IRREGULAR = 1L << 19;
    /** {@code ModePerm}: the permission bits, the same as POSIX. */
    public static final long PERM = 0777;
    /** The largest value: Go's FileMode is a {@code uint32}. */
    public static final long LARGEST = 0xFFFF_FFFFL;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;

    private GoFileMode() {}

    /** The Go mode of a file whose {@code st_mode} is {@code stMode}, as Go's {@code os.Lstat} reports it. */
    public static long fromPosix(int stMode) {
        long mode = fromPosixPermissions(stMode & 07777);
        return mode | switch (stMode & S_IFMT) {
            case S_IFBLK -> DEVICE;
            case S_IFCHR -> DEVICE | CHAR_DEVICE;
            case S_IFDIR -> DIR;
            case S_IFIFO -> NAMED_PIPE;
            case S_IFLNK -> SYMLINK;
            case S_IFSOCK -> SOCKET;
            default -> 0L;
        };
    }

    /** The Go mode of POSIX permission bits (07777: permissions, setuid, setgid, sticky). */
    public static long fromPosixPermissions(int permissions) {
        long mode = permissions & PERM;
        if ((permissions & S_ISUID) != 0) {
            mode |= SETUID;
        }
        if ((permissions & S_ISGID) != 0) {
            mode |= SETGID;
        }
        if ((permissions & S_ISVTX) != 0) {
            mode |= STICKY;
        }
        return mode;
    }

    /**
     * The POSIX permission bits (07777) of a Go mode, as Go's {@code os.OpenFile} passes a mode to
     * the system: the permission bits and the setuid, setgid and sticky flags; the type flags are
     * dropped.
     */
    public static int toPosixPermissions(long goMode) {
        int permissions = (int) (goMode & PERM);
        if ((goMode & SETUID) != 0) {
            permissions |= S_ISUID;
        }
        if ((goMode & SETGID) != 0) {
            permissions |= S_ISGID;
        }
        if ((goMode & STICKY) != 0) {
            permissions |= S_ISVTX;
        }
        return permissions;
    }

    /**
     * The POSIX {@code st_mode} of a Go mode: type and permissions. A mode with no type flag is a
     * regular file; {@link #IRREGULAR} and flags Linux never sets have no POSIX type and give 0.
     */
    public static int toPosix(long goMode) {
        int type;
        if ((goMode & DIR) != 0) {
            type = S_IFDIR;
        } else if ((goMode & SYMLINK) != 0) {
            type = S_IFLNK;
        } else if ((goMode & DEVICE) != 0) {
            type = (goMode & CHAR_DEVICE) != 0 ? S_IFCHR : S_IFBLK;
        } else if ((goMode & NAMED_PIPE) != 0) {
            type = S_IFIFO;
        } else if ((goMode & SOCKET) != 0) {
            type = S_IFSOCK;
        } else if ((goMode & (IRREGULAR | APPEND | EXCLUSIVE | TEMPORARY)) != 0) {
            type = 0;
        } else {
            type = S_IFREG;
        }
        return type | toPosixPermissions(goMode);
    }

    /** {@code mode} if it fits Go's {@code uint32}. */
    static long checkU32(long mode, String what) {
        if (mode < 0 || mode > LARGEST) {
            throw new IllegalArgumentException(what + " must be between 0 and " + LARGEST + ", got " + mode);
        }
        return mode;
    }
}
