package io.vsockexec.client;

/**
 * A copy's file on this machine could not be read or written: a missing source, a destination
 * whose parent does not exist, a file where a directory is needed, a full disk. The message names
 * the local path, e.g. {@code copy ./site: no such file or directory} or {@code CopyOut /etc failed:
 * cannot overwrite non-directory ./etc with directory etc}. A file that failed part way is removed,
 * never left half-written; a missing source or destination directory is found before the agent is
 * asked anything.
 */
public final class LocalFileException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole message
     * @param cause what failed, or null
     */
    public LocalFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
