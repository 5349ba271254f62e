package io.vsockexec.protocol;

import java.util.Objects;

/**
 * One entry of a copy's tar stream: what {@link TarWriter} writes and {@link TarReader} reads.
 *
 * @param name the entry's path in the archive, relative, {@code /}-separated, without a trailing
 *     {@code /}; {@code .} for the directory whose content the archive holds
 * @param type what the entry is
 * @param mode the permission bits, setuid, setgid and sticky included: 0 to 07777
 * @param size the content's length in bytes: a regular file's; 0 for every other type
 * @param mtime the modification time, in whole seconds since the epoch (as ustar and
 *     {@code docker cp} keep it)
 * @param linkName a symbolic link's target, or the name of the entry a hard link shares its
 *     file with; empty for every other type
 * @param uid the owner's user id in the archive (information only: a copy gives files to the
 *     user it writes as)
 * @param gid the owner's group id, as {@code uid}
 */
public record TarEntry(String name, Type type, int mode, long size, long mtime, String linkName, long uid, long gid) {
    /** The kinds of entry a copy knows. */
    public enum Type {
        /** A regular file; its content follows. */
        FILE('0'),
        /** A hard link to an earlier entry of the archive. */
        HARD_LINK('1'),
        /** A symbolic link. */
        SYMLINK('2'),
        /** A character device: never copied, only skipped. */
        CHAR_DEVICE('3'),
        /** A block device: never copied, only skipped. */
        BLOCK_DEVICE('4'),
        /** A directory. */
        DIRECTORY('5'),
        /** A named pipe: never copied, only skipped. */
        FIFO('6');

        private final char flag;

        Type(char flag) {
            this.flag = flag;
        }

        /** The ustar type flag. */
        char flag() {
            return flag;
        }

        /** Whether a copy carries entries of this type; devices and named pipes it skips. */
        public boolean isCopied() {
            return this == FILE || this == HARD_LINK || this == SYMLINK || this == DIRECTORY;
        }
    }

    /**
     * @throws IllegalArgumentException for an empty name, a mode outside 0 to 07777, content on an
     *     entry that is not a regular file, a negative size or id, or a link without a target
     */
    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        linkName = linkName == null ? "" : linkName;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an archive entry needs a name");
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode of " + name + " must be 0 to 07777, got 0" + Integer.toOctalString(mode));
        }
        if (size < 0 || (size > 0 && type != Type.FILE)) {
            throw new IllegalArgumentException("size of " + name + " (" + type + ") must be " + (type == Type.FILE
                    ? "at least 0" : "0") + ", got " + size);
        }
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("owner of " + name + " must not be negative: " + uid + ":" + gid);
        }
        if ((type == Type.SYMLINK || type == Type.HARD_LINK) == linkName.isEmpty()) {
            throw new IllegalArgumentException(type == Type.SYMLINK || type == Type.HARD_LINK
                    ? "link " + name + " needs a target" : name + " (" + type + ") has no link target");
        }
    }

    /** A directory entry. */
    public static TarEntry directory(String name, int mode, long mtime) {
        return new TarEntry(name, Type.DIRECTORY, mode, 0, mtime, "", 0, 0);
    }

    /** A regular file whose {@code size} bytes of content follow. */
    public static TarEntry file(String name, int mode, long size, long mtime) {
        return new TarEntry(name, Type.FILE, mode, size, mtime, "", 0, 0);
    }

    /** A symbolic link to {@code target}. */
    public static TarEntry symlink(String name, String target, long mtime) {
        return new TarEntry(name, Type.SYMLINK, 0777, 0, mtime, target, 0, 0);
    }

    /** This entry with owner {@code uid:gid}. */
    public TarEntry withOwner(long newUid, long newGid) {
        return new TarEntry(name, type, mode, size, mtime, linkName, newUid, newGid);
    }

    /** This entry under another name. */
    public TarEntry withName(String newName) {
        return new TarEntry(newName, type, mode, size, mtime, linkName, uid, gid);
    }
}
