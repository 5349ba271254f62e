package io.vsockexec.client;

/** The text of an exception for a message: its own message, or its type when it has none. */
final class ExceptionText {
    private ExceptionText() {}

    static String of(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
