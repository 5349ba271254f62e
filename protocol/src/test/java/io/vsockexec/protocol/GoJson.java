package io.vsockexec.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An independent model of Go's {@code encoding/json} string encoding ({@code appendString} with
 * {@code escapeHTML} true, Go 1.22 and later), written over UTF-8 bytes as Go's is, to check the
 * codec's own writer, which works over Java's UTF-16 strings, against on random strings.
 */
final class GoJson {
    private static final String HEX = "0123456789abcdef";

    private GoJson() {
    }

    /** The JSON string literal Go writes for the UTF-8 form of {@code s}, quotes included. */
    static byte[] quote(String s) {
        byte[] src = utf8(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        for (int i = 0; i < src.length; i++) {
            int b = src[i] & 0xff;
            if (b < 0x80) {
                switch (b) {
                    case '"', '\\' -> ascii(out, "\\" + (char) b);
                    case '\b' -> ascii(out, "\\b");
                    case '\f' -> ascii(out, "\\f");
                    case '\n' -> ascii(out, "\\n");
                    case '\r' -> ascii(out, "\\r");
                    case '\t' -> ascii(out, "\\t");
                    default -> {
                        if (b < 0x20 || b == '<' || b == '>' || b == '&') {
                            ascii(out, "\\u00" + HEX.charAt(b >> 4) + HEX.charAt(b & 0xf));
                        } else {
                            out.write(b);
                        }
                    }
                }
            } else if (b == 0xe2 && i + 2 < src.length && (src[i + 1] & 0xff) == 0x80
                    && ((src[i + 2] & 0xff) == 0xa8 || (src[i + 2] & 0xff) == 0xa9)) {
                // U+2028 is e2 80 a8, U+2029 is e2 80 a9.
                ascii(out, "\\u202" + HEX.charAt(src[i + 2] & 0xf));
                i += 2;
            } else {
                out.write(b);
            }
        }
        out.write('"');
        return out.toByteArray();
    }

    /**
     * The bytes Go would hold for {@code s}. A Java string with unpaired surrogates has no UTF-8
     * form (the JDK's encoder writes '?'); the codec's records hold U+FFFD in their place.
     */
    static byte[] utf8(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> b.appendCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
