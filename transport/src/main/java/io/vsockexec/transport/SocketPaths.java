package io.vsockexec.transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** The rules for a Unix socket path in an endpoint. */
final class SocketPaths {
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_BYTES = 107;

    private SocketPaths() {}

    /**
     * Checks that {@code path} can name a Unix socket in an endpoint: absolute (so the endpoint
     * means the same thing in every process it is handed to), naming a file, and short enough for
     * sockaddr_un.
     *
     * @throws IllegalArgumentException naming the path and the rule it breaks
     */
    static Path check(Path path) {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("socket path must be absolute: " + path);
        }
        if (path.getFileName() == null) {
            throw new IllegalArgumentException("socket path must name a file: " + path);
        }
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("socket path must be at most " + MAX_BYTES + " bytes long, is "
                    + bytes + ": " + path);
        }
        return path;
    }
}
