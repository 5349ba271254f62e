package io.vsockexec.vm;

import java.io.IOException;

/** User-mode Linux cannot run here; the message says why in one line (what is missing, how to get it). */
public final class VmUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public VmUnavailableException(String message) {
        super(message);
    }
}
