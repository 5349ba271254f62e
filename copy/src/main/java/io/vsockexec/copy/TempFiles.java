package io.vsockexec.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
