package io.vsockexec.vm.vhost;

import java.io.IOException;

/** The front-end broke the vhost-user protocol: the session answers with an error and disconnects. */
public final class VhostProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public VhostProtocolException(String message) {
        super(message);
    }
}
