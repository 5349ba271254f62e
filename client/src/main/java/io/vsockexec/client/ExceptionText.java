package io.vsockexec.client;

/**
 * The one-line text of an exception, as the SDK's messages and the CLI's error line use it. Some
 * exceptions carry no message (a bare {@code EOFException}); their type is the best one-line text.
 */
public final class ExceptionText {
    private ExceptionText() {}

    /**
     * The text of {@code t}: its message, or its simple class name when the message is null or blank.
     *
     * @param t the exception to describe
     * @return never null nor blank
     */
    public static String of(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
