package io.vsockexec.copy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * How a failed file operation is worded for the host: as Go's {@code os} package words it,
 * {@code OPERATION PATH: REASON} with the system's reason in lower case, e.g.
 * {@code open /nonexistent: no such file or directory}. Paths are not secrets; they are named.
 */
public final class FileErrors {
    private FileErrors() {}

    /** {@code operation path: reason}, the reason taken from {@code e}. */
    public static String of(String operation, String path, IOException e) {
        return operation + " " + path + ": " + reason(e);
    }

    /**
     * The system's reason for {@code e}, as Go's {@code syscall.Errno} texts read: glibc's
     * description with a lower-case first letter. java.nio names some errors by type alone.
     */
    public static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file or directory";
            case AccessDeniedException a -> "permission denied";
            case NotDirectoryException n -> "not a directory";
            case FileAlreadyExistsException f -> "file exists";
            case DirectoryNotEmptyException d -> "directory not empty";
            case FileSystemLoopException l -> "too many levels of symbolic links";
            case FileSystemException f when f.getReason() != null -> lower(f.getReason());
            default -> lower(String.valueOf(e.getMessage()));
        };
    }

    private static String lower(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
