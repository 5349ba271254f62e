package io.vsockexec.client;

/**
 * The agent could not do a file operation and said why: a missing file, a directory where a file
 * was expected, a denied permission, a full disk. The message names the operation, the path and
 * the endpoint and quotes the agent's reason, e.g. {@code ReadFile /etc/x on unix:///run/a.sock
 * failed: open /etc/x: no such file or directory}. Nothing was written when a write fails.
 */
public final class RemoteFileException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String remoteError;

    /**
     * @param message the whole message
     * @param path the path the operation named
     * @param remoteError the agent's reason, as sent
     */
    public RemoteFileException(String message, String path, String remoteError) {
        super(message);
        this.path = path;
        this.remoteError = remoteError;
    }

    /** The path the operation named. */
    public String path() {
        return path;
    }

    /** The agent's reason, as sent, e.g. {@code open /etc/x: no such file or directory}. */
    public String remoteError() {
        return remoteError;
    }
}
