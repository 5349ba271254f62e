package io.vsockexec.transport;

/**
 * Endpoint text that does not parse. The message quotes the input and says what was expected,
 * e.g. {@code invalid endpoint "vsock://3": expected vsock://CID:PORT}.
 */
public final class InvalidEndpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;

    InvalidEndpointException(String input, String problem) {
        this(input, problem, null);
    }

    InvalidEndpointException(String input, String problem, Throwable cause) {
        super("invalid endpoint " + Text.quote(input) + ": " + problem, cause);
        this.input = input;
    }

    /** The text that failed to parse. */
    public String input() {
        return input;
    }
}
