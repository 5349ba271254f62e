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
    /** POSIX's setuid, setgid and sticky bits, and at the same index the Go flag for each. */
    private static final long[] POSIX_SPECIAL = {S_ISUID, S_ISGID, S_ISVTX};
    private static final long[] GO_SPECIAL = {SETUID, SETGID, STICKY};
    /**
     * POSIX's file types and at the same index the Go flags for each, in the order a Go mode is
     * read: a mode with more than one type flag takes the first that matches.
     */
    private static final int[] POSIX_TYPES = {S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK};
    private static final long[] GO_TYPES = {DIR, SYMLINK, DEVICE | CHAR_DEVICE, DEVICE, NAMED_PIPE, SOCKET};
    /** Go flags with no POSIX type (irregular, and those Linux never sets): a mode with one and no type flag gives 0. */
    private static final long NO_POSIX_TYPE = IRREGULAR | APPEND | EXCLUSIVE | TEMPORARY;

    private GoFileMode() {}

    /** The Go mode of a file whose {@code st_mode} is {@code stMode}, as Go's {@code os.Lstat} reports it. */
    public static long fromPosix(int stMode) {
        long mode = fromPosixPermissions(stMode & 07777);
        int type = stMode & S_IFMT;
        for (int i = 0; i < POSIX_TYPES.length; i++) {
            if (POSIX_TYPES[i] == type) {
                return mode | GO_TYPES[i];
            }
        }
        return mode;
    }

    /** The Go mode of POSIX permission bits (07777: permissions, setuid, setgid, sticky). */
    public static long fromPosixPermissions(int permissions) {
        return (permissions & PERM) | special(permissions, POSIX_SPECIAL, GO_SPECIAL);
    }

    /**
     * The POSIX permission bits (07777) of a Go mode, as Go's {@code os.OpenFile} passes a mode to
     * the system: the permission bits and the setuid, setgid and sticky flags; the type flags are
     * dropped.
     */
    public static int toPosixPermissions(long goMode) {
        return (int) ((goMode & PERM) | special(goMode, GO_SPECIAL, POSIX_SPECIAL));
    }

    /** The setuid, setgid and sticky bits of {@code mode}, written as {@code from} writes them, in the bits of {@code to}. */
    private static long special(long mode, long[] from, long[] to) {
        long bits = 0;
        for (int i = 0; i < from.length; i++) {
            if ((mode & from[i]) != 0) {
                bits |= to[i];
            }
        }
        return bits;
    }

    /**
     * The POSIX {@code st_mode} of a Go mode: type and permissions. A mode with no type flag is a
     * regular file; {@link #IRREGULAR} and flags Linux never sets have no POSIX type and give 0.
     */
    public static int toPosix(long goMode) {
        return posixType(goMode) | toPosixPermissions(goMode);
    }

    private static int posixType(long goMode) {
        for (int i = 0; i < GO_TYPES.length; i++) {
            if ((goMode & GO_TYPES[i]) == GO_TYPES[i]) {
                return POSIX_TYPES[i];
            }
        }
        return (goMode & NO_POSIX_TYPE) != 0 ? 0 : S_IFREG;
    }

    /** {@code mode} if it fits Go's {@code uint32}. */
    static long checkU32(long mode, String what) {
        if (mode < 0 || mode > LARGEST) {
            throw new IllegalArgumentException(what + " must be between 0 and " + LARGEST + ", got " + mode);
        }
        return mode;
    }
}
