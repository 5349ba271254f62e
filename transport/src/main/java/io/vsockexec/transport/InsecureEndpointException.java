package io.vsockexec.transport;

/**
 * Listening was refused because the endpoint would expose the service without authentication,
 * for example TCP on a non-loopback address without
 * {@link ListenOptions#allowInsecureNonLoopbackTcp(boolean)}.
 */
public final class InsecureEndpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Endpoint endpoint;

    InsecureEndpointException(Endpoint endpoint, String message) {
        super(message);
        this.endpoint = endpoint;
    }

    /** The endpoint that was refused. */
    public Endpoint endpoint() {
        return endpoint;
    }
}
