package io.vsockexec.copy;

import io.vsockexec.protocol.TarEntry;
import io.vsockexec.protocol.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Extracts a copy's tar stream at a destination in the guest, as {@code docker cp} places its
 * source: into an existing directory under the entries' own names, or, for a destination that does
 * not exist, the archive's one top-level entry renamed to it. Directories are created, regular
 * files written into a temporary file beside their target and renamed into place once complete
 * (a failure removes it: nothing half-written), symbolic links created as links; modes and
 * modification times are applied, a directory's only once its content is in place, and the files
 * are given to the requested user.
 *
 * <p>Safe against hostile archives: names with {@code ..} or a leading {@code /} are refused, and
 * nothing is written through a symbolic link that leads outside the destination. Memory: one
 * copy buffer, made when the extraction starts (so that a caller with a memory budget can reserve
 * it first), and the directories still open, one per level of the path being extracted.
 */
public final class TarExtraction {
    /** The copy buffer an extraction holds unless given another size, in bytes. */
    public static final int BUFFER = 128 * 1024;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path dest;
    /** The destination is an existing directory: every entry goes inside it under its own name. */
    private final boolean destIsDir;
    /** The destination was written with a trailing {@code /}: it must be (or become) a directory. */
    private final boolean mustBeDir;
    private final Owner owner;
    private final CopyTally tally;
    /** The real directory that every entry must stay inside. */
    private final Path root;
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** Made by {@link #extract(TarReader, int)}. */
    private byte[] buffer;
    /** For a new destination: the top-level name of the archive's entries, which becomes the destination. */
    private String top;

    /** A directory whose mode and time are applied once the entries inside it are extracted. */
    private record Pending(String name, Path path, int mode, long mtime) {}

    private TarExtraction(Path dest, boolean destIsDir, boolean mustBeDir, Owner owner, CopyTally tally, Path root) {
        this.dest = dest;
        this.destIsDir = destIsDir;
        this.mustBeDir = mustBeDir;
        this.owner = owner;
        this.tally = tally;
        this.root = root;
    }

    /** Who extracted files are given to: a user id and its group. */
    public record Owner(int uid, int gid) {}

    /**
     * An extraction at {@code dest}, checked before any data is read.
     *
     * @param mustBeDir the destination was written with a trailing {@code /}
     * @param into the destination must be an existing directory (a tar stream the user gave)
     * @param owner who the files are given to; null: this process's user
     * @throws CopyFailure if the destination cannot take the copy
     */
    public static TarExtraction at(Path dest, boolean mustBeDir, boolean into, Owner owner, CopyTally tally)
            throws CopyFailure {
        String path = dest + (mustBeDir ? "/" : "");
        boolean isDir = Files.isDirectory(dest);
        if (!isDir && Files.exists(dest, NOFOLLOW) && (into || mustBeDir)) {
            throw new CopyFailure("copy to " + path + ": not a directory");
        }
        if (!isDir && into) {
            throw new CopyFailure("copy to " + path + ": no such directory (a tar stream is extracted into an existing directory)");
        }
        // Absolute from here on: a relative destination of one name ("out") has no parent to create
        // or check entries against.
        Path absolute = dest.toAbsolutePath();
        Path parent = isDir ? absolute : absolute.getParent();
        try {
            return new TarExtraction(absolute, isDir, mustBeDir, owner, tally, parent.toRealPath());
        } catch (IOException e) {
            throw CopyFailure.of("copy to", path, e);
        }
    }

    /**
     * Extracts every entry of {@code tar}, then applies the directories' modes and times.
     *
     * @throws CopyFailure for an entry that cannot be placed or written
     * @throws IOException if the stream itself fails (the connection, a malformed archive)
     */
    public void extract(TarReader tar) throws IOException {
        extract(tar, BUFFER);
    }

    /**
     * As {@link #extract(TarReader)}, with a copy buffer of {@code bufferBytes}, the one allocation
     * that grows with the data.
     *
     * @throws IllegalArgumentException if {@code bufferBytes} is not positive
     */
    public void extract(TarReader tar, int bufferBytes) throws IOException {
        if (bufferBytes <= 0) {
            throw new IllegalArgumentException("bufferBytes must be positive: " + bufferBytes);
        }
        buffer = new byte[bufferBytes];
        for (TarEntry e = tar.next(); e != null; e = tar.next()) {
            String name = clean(e.name());
            settle(name);
            Path target = place(name, e.type());
            switch (e.type()) {
                case DIRECTORY -> directory(name, target, e);
                case FILE -> file(target, e, tar.content());
                case SYMLINK -> symlink(target, e);
                case HARD_LINK -> hardLink(target, e);
                default -> tally.skipped(e.name(), e.type());
            }
        }
        settle(null);
    }

    /** The entry's name without {@code .} parts and slashes; empty for the archive's own directory. */
    private static String clean(String name) throws CopyFailure {
        if (name.startsWith("/")) {
            throw new CopyFailure("archive entry " + name + ": absolute names are not extracted");
        }
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new CopyFailure("archive entry " + name + ": names with .. are not extracted");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                out.append(out.isEmpty() ? "" : "/").append(part);
            }
        }
        return out.toString();
    }

    /** Where the entry {@code name} goes. */
    private Path place(String name, TarEntry.Type type) throws CopyFailure {
        if (destIsDir) {
            return name.isEmpty() ? dest : resolve(dest, name);
        }
        String first = name.isEmpty() ? "" : name.split("/", 2)[0];
        if (top == null) {
            top = first;
            if (mustBeDir && type != TarEntry.Type.DIRECTORY) {
                throw new CopyFailure("copy to " + dest + "/: no such directory");
            }
        }
        if (top.isEmpty()) {
            return name.isEmpty() ? dest : resolve(dest, name);
        }
        if (!first.equals(top)) {
            throw new CopyFailure("copy to " + dest + ": the archive holds more than one top-level entry (" + top + ", "
                    + first + "), so the destination must be an existing directory");
        }
        return name.equals(top) ? dest : resolve(dest, name.substring(top.length() + 1));
    }

    private static Path resolve(Path dir, String name) throws CopyFailure {
        try {
            return dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new CopyFailure("archive entry " + name + ": " + e.getReason());
        }
    }

    private void directory(String name, Path target, TarEntry e) throws CopyFailure {
        boolean exists = target.equals(dest) ? Files.isDirectory(target) : Files.isDirectory(target, NOFOLLOW);
        if (!exists) {
            if (Files.exists(target, NOFOLLOW)) {
                throw new CopyFailure("cannot overwrite non-directory " + target + " with directory " + e.name());
            }
            try {
                makeParent(target);
                Files.createDirectory(target);
                chown(target);
            } catch (IOException x) {
                throw CopyFailure.of("mkdir", target, x);
            }
        }
        pending.push(new Pending(name, target, e.mode(), e.mtime()));
        tally.carried(0);
    }

    private void file(Path target, TarEntry e, InputStream content) throws IOException {
        notADirectory(target, e);
        Path temp;
        try {
            makeParent(target);
        } catch (IOException x) {
            throw CopyFailure.of("open", target, x);
        }
        try {
            temp = TempFiles.beside(target);
        } catch (IOException x) {
            // The file is written under another name first: say where it could not be made
            // (/proc, a read-only mount) rather than blame the target's name, which may exist.
            throw CopyFailure.of("create a file in", target.toAbsolutePath().getParent(), x);
        }
        boolean placed = false;
        try {
            copy(content, temp, target);
            finish(temp, target, e);
            placed = true;
        } finally {
            if (!placed) {
                Files.deleteIfExists(temp);
            }
        }
        tally.carried(e.size());
    }

    /**
     * Copies the entry's content into {@code temp}: a failure to write is a {@link CopyFailure},
     * a failure to read (the connection) stays what it is.
     */
    private void copy(InputStream content, Path temp, Path target) throws IOException {
        OutputStream out;
        try {
            out = TempFiles.write(temp);
        } catch (IOException x) {
            throw CopyFailure.of("open", target, x);
        }
        try {
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException x) {
                    throw CopyFailure.of("write", target, x);
                }
            }
        } catch (IOException x) {
            closeQuietly(out);
            throw x;
        }
        try {
            out.close();
        } catch (IOException x) {
            throw CopyFailure.of("write", target, x);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException x) {
            // Failing already; the file is removed.
        }
    }

    /** Gives the complete file its owner, mode and time, and renames it into place. */
    private void finish(Path temp, Path target, TarEntry e) throws CopyFailure {
        try {
            chown(temp);
            Files.setAttribute(temp, "unix:mode", e.mode());
            Files.setLastModifiedTime(temp, FileTime.from(e.mtime(), TimeUnit.SECONDS));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException x) {
            throw CopyFailure.of("rename", target, x);
        }
    }

    private void symlink(Path target, TarEntry e) throws CopyFailure {
        notADirectory(target, e);
        try {
            makeParent(target);
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(e.linkName()));
            chown(target);
            Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(FileTime.from(e.mtime(), TimeUnit.SECONDS), null, null);
        } catch (InvalidPathException x) {
            throw new CopyFailure("symlink " + target + ": " + x.getReason());
        } catch (IOException x) {
            throw CopyFailure.of("symlink", target, x);
        }
        tally.carried(0);
    }

    private void hardLink(Path target, TarEntry e) throws CopyFailure {
        notADirectory(target, e);
        Path existing = place(clean(e.linkName()), TarEntry.Type.FILE);
        try {
            makeParent(target);
            makeParent(existing);
            Files.deleteIfExists(target);
            Files.createLink(target, existing);
        } catch (IOException x) {
            throw CopyFailure.of("link", target, x);
        }
        tally.carried(0);
    }

    private static void notADirectory(Path target, TarEntry e) throws CopyFailure {
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new CopyFailure("cannot overwrite directory " + target + " with non-directory " + e.name());
        }
    }

    /**
     * Creates the missing directories above {@code target}, after checking that the nearest one
     * that exists lies inside the destination: a link in the archive must not lead a later entry
     * out of it.
     */
    private void makeParent(Path target) throws IOException {
        Path parent = target.getParent();
        Path existing = parent;
        while (!Files.exists(existing, NOFOLLOW)) {
            existing = existing.getParent();
        }
        if (!existing.toRealPath().startsWith(root)) {
            throw new CopyFailure("archive entry " + target + ": would be written outside the destination through a symbolic link");
        }
        if (existing != parent) {
            Files.createDirectories(parent);
        }
    }

    private void chown(Path path) throws IOException {
        if (owner != null) {
            Files.setAttribute(path, "unix:uid", owner.uid(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", owner.gid(), NOFOLLOW);
        }
    }

    /**
     * Applies the mode and time of the directories that hold no more entries: those {@code name}
     * is not inside; all of them for null (the end).
     */
    private void settle(String name) throws CopyFailure {
        while (!pending.isEmpty() && (name == null || !inside(pending.peek().name(), name))) {
            Pending d = pending.pop();
            try {
                Files.setAttribute(d.path(), "unix:mode", d.mode());
                Files.setLastModifiedTime(d.path(), FileTime.from(d.mtime(), TimeUnit.SECONDS));
            } catch (IOException x) {
                throw CopyFailure.of("chmod", d.path(), x);
            }
        }
    }

    private static boolean inside(String dir, String name) {
        return dir.isEmpty() || name.equals(dir) || name.startsWith(dir + "/");
    }
}
