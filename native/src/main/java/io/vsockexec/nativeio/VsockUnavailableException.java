package io.vsockexec.nativeio;

/** AF_VSOCK is not supported here: no vsock driver, no {@code /dev/vsock}, or the family is unknown. */
public final class VsockUnavailableException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    VsockUnavailableException(String operation, String target, int errno, String message) {
        super(operation, target, errno, message);
    }
}
