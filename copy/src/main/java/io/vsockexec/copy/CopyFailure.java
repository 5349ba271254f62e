package io.vsockexec.copy;

import java.io.IOException;

/**
 * A copy that cannot go on because of the guest's file system or the archive (not the
 * connection): its message is the error for the host, worded as {@link FileErrors} words it.
 * An {@link IOException} so that it passes through a file-tree walk.
 */
public final class CopyFailure extends IOException {
    private static final long serialVersionUID = 1L;

    public CopyFailure(String message) {
        super(message);
    }

    /** {@code operation path: reason}, the reason taken from {@code e}. */
    public static CopyFailure of(String operation, Object path, IOException e) {
        return e instanceof CopyFailure f ? f : new CopyFailure(FileErrors.of(operation, String.valueOf(path), e));
    }
}
