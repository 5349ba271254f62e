package io.vsockexec.agent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A path a file request names, checked before anything is opened: not empty, absolute, no NUL,
 * and representable by this JVM. (The Go agent would open a relative path against its own working
 * directory; a host cannot know which that is, so the agent refuses.)
 */
final class GuestPath {
    private GuestPath() {}

    /** A path that cannot be used; its message says why, naming the path. */
    static final class InvalidPathError extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPathError(String message) {
            super(message);
        }
    }

    /**
     * The path {@code text} names.
     *
     * @throws InvalidPathError if it is empty, relative, holds a NUL, or has characters this JVM
     *     cannot put in a file name (non-ASCII ones when the agent runs without a UTF-8 locale)
     */
    static Path of(String text) throws InvalidPathError {
        if (text.isEmpty()) {
            throw new InvalidPathError("path must not be empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidPathError("path contains a NUL character: \"" + text.replace("\0", "\\0") + "\"");
        }
        if (!text.startsWith("/")) {
            throw new InvalidPathError("path must be absolute: \"" + text + "\"");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidPathError("path \"" + text + "\" cannot be used: " + e.getReason()
                    + " (file names are encoded as " + System.getProperty("sun.jnu.encoding")
                    + "; run the agent with a UTF-8 locale, e.g. LC_ALL=C.UTF-8)");
        }
    }
}
