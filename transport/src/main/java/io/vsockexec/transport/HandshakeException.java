package io.vsockexec.transport;

import java.io.IOException;

/**
 * A hybrid VM socket did not accept the {@code CONNECT PORT} request: it closed the connection
 * (which is how Firecracker and Cloud Hypervisor say that nothing listens on the guest port), or
 * it answered something other than {@code OK <n>}. The message names the socket, the port and
 * what was received.
 */
public final class HandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient HybridEndpoint endpoint;
    private final String reply;

    HandshakeException(HybridEndpoint endpoint, String reply, String problem) {
        super(endpoint + ": " + problem);
        this.endpoint = endpoint;
        this.reply = reply;
    }

    /** The endpoint dialed: the VM's socket and the guest port. */
    public HybridEndpoint endpoint() {
        return endpoint;
    }

    /** What the VM sent before the failure (without a newline), empty if nothing. */
    public String reply() {
        return reply;
    }
}
