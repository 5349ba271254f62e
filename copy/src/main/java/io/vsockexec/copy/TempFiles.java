package io.vsockexec.copy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Temporary files written beside their target and renamed over it once complete, so that a
 * failed write leaves nothing half-written under the target's name.
 */
public final class TempFiles {
    private static final String SUFFIX = ".vsockexec-part";

    private TempFiles() {}

    /**
     * A new, empty, private (0600) file in {@code target}'s directory, named after it, its name
     * cut so that the random part and the suffix still fit a file name's 255 bytes.
     */
    public static Path beside(Path target) throws IOException {
        String name = target.getFileName().toString();
        String prefix = "." + name.substring(0, Math.min(name.length(), 32)) + ".";
        return Files.createTempFile(target.toAbsolutePath().getParent(), prefix, SUFFIX);
    }

    /**
     * A stream that writes the new, empty temporary file {@code temp} made by {@link #beside}.
     *
     * <p>Opened without {@code O_TRUNC}: there is nothing to truncate, and on ext4 truncating an
     * existing file to nothing marks it to be flushed to disk when it is closed (its guard for
     * programs that rewrite a file in place), so that every copied file was written out
     * synchronously at its close, halving a large copy's throughput.
     */
    public static OutputStream write(Path temp) throws IOException {
        return Files.newOutputStream(temp, StandardOpenOption.WRITE);
    }
}
