package io.vsockexec.client;

/**
 * The agent does not serve this kind of request: it closed the connection without an answer (as
 * the Go reference agent does with a message type it does not know), or answered with an
 * {@code ExecResult} error (as a vsockexec agent does with a type it does not know). The caller
 * may fall back to another way, e.g. from a streamed copy to {@code writeFile}.
 */
public final class UnsupportedRequestException extends VsockExecException {
    private static final long serialVersionUID = 1L;

    private final String request;

    /**
     * @param message the whole message, naming the request and the endpoint
     * @param request the request's name in the protocol, e.g. {@code WriteFile}
     */
    public UnsupportedRequestException(String message, String request) {
        super(message);
        this.request = request;
    }

    /** The request's name in the protocol, e.g. {@code WriteFile}. */
    public String request() {
        return request;
    }
}
