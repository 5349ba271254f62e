package io.vsockexec.copy;

import io.vsockexec.protocol.TarEntry;
import io.vsockexec.protocol.TarWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Writes a tree of the guest's file system as a tar stream, depth first, a directory before its
 * content: directories, regular files with their content, symbolic links as links; sockets,
 * named pipes and devices are left out and counted. Symbolic links inside the tree are never
 * followed. Memory: the walk's open directories, one per level, and the writer's buffer.
 */
public final class TreeArchive implements FileVisitor<Path> {
    private final Path source;
    private final String rootName;
    private final TarWriter tar;
    private final CopyTally tally;
    private final BooleanSupplier cancelled;

    private TreeArchive(Path source, String rootName, TarWriter tar, CopyTally tally, BooleanSupplier cancelled) {
        this.source = source;
        this.rootName = rootName;
        this.tar = tar;
        this.tally = tally;
        this.cancelled = cancelled;
    }

    /**
     * The tree at {@code source}, checked before anything is written, named in the archive as
     * {@code docker cp} names its source: by its file name; {@code .} (the directory's content)
     * for a path written with a trailing {@code /.}. A symbolic link at {@code source} is sent as
     * a link unless {@code followLink}, or the path was written with a trailing {@code /}.
     *
     * @param text the path as the user wrote it, trailing {@code /} or {@code /.} included
     * @param cancelled polled between entries: true ends the copy with a {@link CopyFailure}
     * @throws CopyFailure if there is nothing to send at {@code source}
     */
    public static TreeArchive of(Path source, String text, boolean followLink, TarWriter tar, CopyTally tally,
            BooleanSupplier cancelled) throws CopyFailure {
        boolean content = text.endsWith("/.") || text.equals(".");
        boolean follow = followLink || text.endsWith("/") || content;
        Path real;
        try {
            real = follow ? source.toRealPath() : source.toRealPath(LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw CopyFailure.of("lstat", text, e);
        }
        if ((content || text.endsWith("/")) && !Files.isDirectory(real)) {
            throw new CopyFailure("copy from " + text + ": not a directory");
        }
        Path name = real.getFileName();
        return new TreeArchive(real, content || name == null ? "." : name.toString(), tar, tally, cancelled);
    }

    /** Writes the whole tree, then the archive's end. */
    public void write() throws IOException {
        Files.walkFileTree(source, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, this);
        tar.finish();
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        checkCancelled();
        Stat a = stat(dir);
        tar.writeEntry(a.owned(TarEntry.directory(name(dir), a.permissions(), a.mtime())));
        tally.carried(0);
        return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        checkCancelled();
        if (attrs.isSymbolicLink()) {
            symlink(file);
        } else if (attrs.isRegularFile()) {
            regularFile(file);
        } else {
            tally.skipped(file.toString(), kind(stat(file).type()));
        }
        return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        throw CopyFailure.of("open", file, e);
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
            throw CopyFailure.of("readdir", dir, e);
        }
        return FileVisitResult.CONTINUE;
    }

    /**
     * A regular file: its header with the size it has when opened, then exactly that many bytes
     * (a file that shrinks meanwhile fails the copy; one that grows is sent as it was).
     */
    private void regularFile(Path file) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw CopyFailure.of("open", file, e);
        }
        try (InputStream content = new SourceInput(in, file)) {
            Stat a = stat(file);
            tar.writeEntry(a.owned(TarEntry.file(name(file), a.permissions(), a.size(), a.mtime())));
            tar.writeContent(content, a.size());
            tally.carried(a.size());
        } catch (java.io.EOFException e) {
            throw new CopyFailure("read " + file + ": the file shrank while it was copied");
        }
    }

    private void symlink(Path link) throws IOException {
        Stat a = stat(link);
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw CopyFailure.of("readlink", link, e);
        }
        tar.writeEntry(a.owned(TarEntry.symlink(name(link), target, a.mtime())));
        tally.carried(0);
    }

    private String name(Path p) {
        Path relative = source.relativize(p);
        String rest = relative.toString();
        return rest.isEmpty() ? rootName : rootName.equals(".") ? rest : rootName + "/" + rest;
    }

    /** What the archive keeps of an entry, read without following a link. */
    private record Stat(int mode, long uid, long gid, long size, long mtime) {
        /** The type bits of {@code st_mode}. */
        int type() {
            return mode & 0170000;
        }

        /** The permission bits, setuid, setgid and sticky included. */
        int permissions() {
            return mode & 07777;
        }

        TarEntry owned(TarEntry e) {
            return e.withOwner(uid, gid);
        }
    }

    private static Stat stat(Path p) throws CopyFailure {
        try {
            Map<String, Object> m = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) m.get("mode"), (Integer) m.get("uid") & 0xFFFF_FFFFL, (Integer) m.get("gid") & 0xFFFF_FFFFL,
                    (Long) m.get("size"), ((FileTime) m.get("lastModifiedTime")).to(TimeUnit.SECONDS));
        } catch (IOException e) {
            throw CopyFailure.of("lstat", p, e);
        }
    }

    private static String kind(int type) {
        return switch (type) {
            case 0140000 -> "socket";
            case 0010000 -> "named pipe";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            default -> "special file";
        };
    }

    private void checkCancelled() throws CopyFailure {
        if (cancelled.getAsBoolean()) {
            throw new CopyFailure("copy from " + source + ": cancelled");
        }
    }

    /** A file's content, whose read failures are the file's ({@link CopyFailure}), not the connection's. */
    private static final class SourceInput extends java.io.FilterInputStream {
        private final Path file;

        SourceInput(InputStream in, Path file) {
            super(in);
            this.file = file;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw CopyFailure.of("read", file, e);
            }
        }
    }
}
