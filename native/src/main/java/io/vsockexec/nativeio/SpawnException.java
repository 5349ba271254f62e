package io.vsockexec.nativeio;

/**
 * A program could not be started: it was not found, is not executable, or the system could not
 * create the process. The message has the usual errno form, e.g.
 * {@code exec /usr/bin/nope: ENOENT (No such file or directory)}; {@link #shellCode()} is the exit
 * status a shell reports for the same failure.
 */
public final class SpawnException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    private SpawnException(String program, int errno, String message) {
        super("exec", program, errno, message);
    }

    /** The failure to start {@code program} with {@code errno}. */
    static SpawnException of(String program, int errno) {
        // The text comes from ErrnoException, the one place that describes an errno.
        return new SpawnException(program, errno, describe("exec", program, errno));
    }

    /** The program that could not be started, as given (a path, or a name searched in PATH). */
    public String program() {
        return target();
    }

    /** True when the program does not exist ({@code ENOENT}); a shell reports 127 for it. */
    public boolean isNotFound() {
        return errno() == Errno.ENOENT;
    }

    /** 127 when the program was not found, else 126 (found but not executable, or not startable), as in sh. */
    public int shellCode() {
        return isNotFound() ? 127 : 126;
    }
}
