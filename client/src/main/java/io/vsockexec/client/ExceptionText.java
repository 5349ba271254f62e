package io.vsockexec.client;

/**
 * The one-line text of a cause, as the SDK's messages quote it. Some exceptions carry no message
 * (a bare {@code EOFException}); their type is the best one-line text.
 */
final class ExceptionText {
    private ExceptionText() {}

    /** The message of {@code t}, or its simple class name when the message is null or blank; never blank. */
    static String of(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
