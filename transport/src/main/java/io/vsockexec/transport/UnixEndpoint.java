package io.vsockexec.transport;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * A Unix socket, {@code unix:///PATH}.
 *
 * @param path the absolute path of the socket file
 */
public record UnixEndpoint(Path path) implements Endpoint {
    /**
     * @throws IllegalArgumentException for a relative path or one too long for a Unix socket
     */
    public UnixEndpoint {
        SocketPaths.check(path);
    }

    /** The socket address of this endpoint. */
    public UnixDomainSocketAddress address() {
        return UnixDomainSocketAddress.of(path);
    }

    /** {@code unix://PATH}; PATH starts with a slash, so the text reads {@code unix:///...}. */
    @Override
    public String toString() {
        return "unix://" + path;
    }
}
