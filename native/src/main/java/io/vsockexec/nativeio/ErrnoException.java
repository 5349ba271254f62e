package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import java.io.IOException;

/**
 * A system call failed. The message names the operation, what it was applied to and the errno,
 * for example {@code connect vsock://3:5000: ECONNRESET (Connection reset by peer)}.
 *
 * <p>All errno values are turned into exceptions here, by {@link #of}, and nowhere else.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String target;
    private final int errno;

    protected ErrnoException(String operation, String target, int errno, String message) {
        super(message);
        this.operation = operation;
        this.target = target;
        this.errno = errno;
    }

    /**
     * The exception for {@code errno} from {@code operation} applied to {@code target}.
     *
     * @param operation the call, as a user would name it ({@code connect}, {@code read})
     * @param target what it was applied to ({@code vsock://3:5000}, {@code /run/vm.sock}); may be null
     * @param errno the positive errno value
     */
    public static ErrnoException of(String operation, String target, int errno) {
        String message = describe(operation, target, errno);
        if (errno == Errno.EAFNOSUPPORT && target != null && target.startsWith("vsock://")) {
            return new VsockUnavailableException(operation, target, errno,
                    message + "; AF_VSOCK is not available on this machine (is the vsock module loaded?)");
        }
        return new ErrnoException(operation, target, errno, message);
    }

    /**
     * {@code rc} from a call that returns a non-negative result or {@code -errno}, as the
     * wrappers in the internal package do; the exception of {@link #of} if it is negative.
     *
     * @return {@code rc}, when it is not negative
     * @throws ErrnoException {@code operation target: ENAME (description)} for {@code rc = -errno}
     */
    public static int check(int rc, String operation, String target) throws ErrnoException {
        if (rc < 0) {
            throw of(operation, target, -rc);
        }
        return rc;
    }

    /** The standard text for an errno: its name and description, e.g. {@code ENOENT (No such file or directory)}. */
    public static String errnoText(int errno) {
        String name = Libc.errnoName(errno);
        String description = Libc.errnoDescription(errno);
        return (name == null ? "errno " + errno : name) + (description == null ? "" : " (" + description + ")");
    }

    /**
     * The system's description of an errno as Go's {@code syscall.Errno} prints it: glibc's text
     * with a lower-case first letter, e.g. {@code connection refused}; {@code errno N} when unknown.
     */
    public static String goText(int errno) {
        String description = Libc.errnoDescription(errno);
        if (description == null || description.isEmpty()) {
            return "errno " + errno;
        }
        return Character.toLowerCase(description.charAt(0)) + description.substring(1);
    }

    /** The message of {@link #of}: {@code operation target: errnoText}. */
    static String describe(String operation, String target, int errno) {
        return operation + (target == null ? "" : " " + target) + ": " + errnoText(errno);
    }

    /** The failed call, e.g. {@code connect}. */
    public String operation() {
        return operation;
    }

    /** What the call was applied to, or null. */
    public String target() {
        return target;
    }

    /** The errno value, see {@link Errno}. */
    public int errno() {
        return errno;
    }
}
