package io.vsockexec.client;

/**
 * A Firecracker or Cloud Hypervisor VM socket ({@code hybrid://}) did not accept the guest port:
 * it closed the connection during the {@code CONNECT} handshake, which is how those VMMs say that
 * nothing listens on the port (yet), or it answered something other than {@code OK}. The cause is
 * the transport's {@link io.vsockexec.transport.HandshakeException}.
 */
public final class HandshakeRefusedException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /** A refused handshake, with the transport's exception as the cause. */
    public HandshakeRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
