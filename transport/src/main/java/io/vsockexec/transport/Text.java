package io.vsockexec.transport;

import java.nio.charset.StandardCharsets;

/** Quoting of untrusted text for one-line error messages. */
final class Text {
    private Text() {}

    /**
     * {@code value} in double quotes, with quotes, backslashes and control characters escaped, so
     * that a message stays on one line whatever a peer or a user sent.
     */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Bytes received from a peer, decoded as ISO-8859-1 (one char per byte) and quoted. */
    static String quote(byte[] bytes, int length) {
        return quote(new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
    }
}
