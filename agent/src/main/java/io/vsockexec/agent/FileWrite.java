package io.vsockexec.agent;

import io.vsockexec.copy.FileErrors;
import io.vsockexec.copy.TempFiles;
import io.vsockexec.protocol.FileRequestPayloads;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.GoFileMode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * One file being written for a {@code WriteFile} request, as its content arrives: into a new
 * temporary file in the target's directory, which is renamed over the target once the whole
 * request has been read, with the requested mode. So a request that fails (a disk that fills up,
 * content over the limit, a malformed request, a host that goes away) leaves nothing half-written:
 * the target is as it was, and the temporary file is removed ({@link #close()}).
 *
 * <p>Go writes the mode after the content, so the mode is applied at the end; a {@code content}
 * that comes before the {@code path} (no Go host sends one) is spooled in the agent's temporary
 * directory and moved once the path is known. A failure while the content arrives is recorded,
 * and the rest of the content discarded, so that the request is still read to its end and the
 * host reads the error rather than a reset connection.
 *
 * <p>As Go does, missing parent directories are created with mode 0755 (less the umask) and a
 * symbolic link at the path is followed. Unlike Go, the requested mode is applied to an existing
 * file too (Go keeps its mode), and since the file is replaced rather than rewritten in place,
 * other hard links to it keep the old content and the directory must be writable; the new file
 * keeps the old one's owner where the agent may set it.
 */
final class FileWrite implements Closeable, FileRequestPayloads.ContentStreams {
    /** Symbolic links followed at the path before giving up, as Linux's limit. */
    private static final int MAX_LINKS = 40;
    private static final String TEMP_SUFFIX = ".vsockexec-part";

    /** The temporary file holding the content, or null. */
    private Path temp;
    /** The first failure, worded for the host; once set, content is discarded. */
    private String error;
    private long written;

    /**
     * Starts a content stream: a new temporary file next to {@code pathSoFar}'s target, or in the
     * agent's temporary directory if the path is not known yet. Never throws: a failure is
     * recorded and the stream discards what it is given.
     */
    @Override
    public OutputStream open(String pathSoFar) {
        discardTemp();
        written = 0;
        if (error != null) {
            return OutputStream.nullOutputStream();
        }
        try {
            temp = pathSoFar.isEmpty() ? Files.createTempFile("write-file-", TEMP_SUFFIX)
                    : createTempBeside(target(pathSoFar));
            return new Content(TempFiles.write(temp), pathSoFar.isEmpty() ? "(spool)" : pathSoFar);
        } catch (GuestPath.InvalidPathError e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail(wording(pathSoFar, e));
        }
        return OutputStream.nullOutputStream();
    }

    /**
     * Puts the content in place at {@code path} with {@code mode}, now that the whole request has
     * been read: an empty file if no content came.
     *
     * @param mode Go file mode bits; 0 means 0644
     * @return the error for the host, or empty on success
     */
    String complete(String path, long mode) {
        if (error != null) {
            return error;
        }
        try {
            Path target = target(path);
            if (temp == null) {
                temp = createTempBeside(target);
            } else if (!temp.getParent().equals(target.getParent())) {
                Path moved = createTempBeside(target);
                Files.move(temp, moved, StandardCopyOption.REPLACE_EXISTING);
                temp = moved;
            }
            int permissions = mode == 0 ? 0644 : GoFileMode.toPosixPermissions(mode);
            Files.setAttribute(temp, "unix:mode", permissions);
            keepOwner(target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            return "";
        } catch (GuestPath.InvalidPathError e) {
            return e.getMessage();
        } catch (IOException e) {
            return wording(path, e);
        }
    }

    /** A failure at {@code path} as Go words the failed {@code open}, or the {@code mkdir} before it. */
    private static String wording(String path, IOException e) {
        return e instanceof MkdirException ? e.getMessage() : FileErrors.of("open", path, e);
    }

    /** The bytes of content written so far. */
    long written() {
        return written;
    }

    /** Removes the temporary file if it was not put in place. */
    @Override
    public void close() {
        discardTemp();
    }

    /**
     * The file {@code path} names, a symbolic link at it followed; it must not be a directory. Its
     * missing parent directories are created.
     */
    private static Path target(String path) throws GuestPath.InvalidPathError, IOException {
        if (path.length() > 1 && path.endsWith("/")) {
            throw new FileSystemException(path, null, "Is a directory");
        }
        Path target = followLinks(GuestPath.of(path));
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(path, null, "Is a directory");
        }
        Path dir = target.getParent();
        if (dir == null) {
            throw new FileSystemException(path, null, "Is a directory");
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (FileAlreadyExistsException e) {
            // Something other than a directory is where one is needed: Go's MkdirAll says ENOTDIR.
            throw new MkdirException("mkdir " + e.getFile() + ": not a directory", e);
        } catch (IOException e) {
            throw new MkdirException(FileErrors.of("mkdir", e instanceof FileSystemException f && f.getFile() != null
                    ? f.getFile() : dir.toString(), e), e);
        }
        return target;
    }

    private static Path followLinks(Path path) throws IOException {
        Path p = path;
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            Path link = Files.readSymbolicLink(p);
            p = link.isAbsolute() ? link : p.resolveSibling(link);
        }
        throw new FileSystemException(path.toString(), null, "Too many levels of symbolic links");
    }

    private static Path createTempBeside(Path target) throws IOException {
        return TempFiles.beside(target);
    }

    /** Gives the new file the owner of the file it replaces, where the agent may (as root). */
    private void keepOwner(Path target) {
        try {
            Map<String, Object> old = Files.readAttributes(target, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            Map<String, Object> now = Files.readAttributes(temp, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            if (!old.equals(now)) {
                Files.setAttribute(temp, "unix:uid", old.get("uid"), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(temp, "unix:gid", old.get("gid"), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            // No old file, or not ours to give away: the new file stays the agent's.
        }
    }

    private void fail(String reason) {
        if (error == null) {
            error = reason;
        }
        discardTemp();
    }

    private void discardTemp() {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Nothing more to do: the name is unique and no one will take it for the target.
            }
            temp = null;
        }
    }

    /** A failure to create the parent directories, already worded as Go words it. */
    private static final class MkdirException extends IOException {
        private static final long serialVersionUID = 1L;

        MkdirException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** The content's stream: counts, enforces the limit, and turns a failure into a recorded error. */
    private final class Content extends OutputStream {
        private final OutputStream out;
        private final String path;
        private boolean open = true;

        Content(OutputStream out, String path) {
            this.out = out;
            this.path = path;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (!open || error != null) {
                return;
            }
            written += len;
            if (written > FrameDescriptor.MAX_FILE_CONTENT) {
                closeQuietly();
                fail("write_file exceeds " + FrameDescriptor.MAX_FILE_CONTENT + " bytes: " + path);
                return;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                closeQuietly();
                fail(FileErrors.of("write", path, e));
            }
        }

        @Override
        public void close() {
            if (open) {
                try {
                    out.close();
                } catch (IOException e) {
                    fail(FileErrors.of("write", path, e));
                }
                open = false;
            }
        }

        private void closeQuietly() {
            open = false;
            try {
                out.close();
            } catch (IOException e) {
                // Failing already.
            }
        }
    }
}
