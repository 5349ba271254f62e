package io.vsockexec.protocol;

import java.util.Arrays;
import java.util.Base64;

/**
 * Writes JSON into one byte array exactly as Go's {@code encoding/json} writes it: no whitespace,
 * and Go's string escaping (see the {@linkplain io.vsockexec.protocol package}). What to write,
 * and in which order, is the caller's: the payload classes hold the one mapping of records to JSON.
 *
 * <p>Commas are placed by the writer: a value or a name that follows a value gets one. The array
 * starts at the caller's estimate of the size and doubles when it must; {@link #toByteArray()}
 * copies out the written bytes, or hands over the array if they fill it exactly. One writer
 * writes one payload.
 */
final class JsonWriter {
    /** The largest array the JDK reliably allocates. */
    private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    /** For {@link #ESCAPES}: the character is escaped as backslash, {@code u00} and two lowercase hex digits. */
    private static final byte HEX_ESCAPE = 'u';
    /**
     * How Go writes each ASCII character in a string: 0 as it is, {@link #HEX_ESCAPE}, or else the
     * character that follows a backslash ({@code \" \\ \b \f \n \r \t}).
     */
    private static final byte[] ESCAPES = asciiEscapes();

    private byte[] buf;
    private int size;
    /** Whether the last thing written was a value, so the next value or name needs a comma. */
    private boolean afterValue;

    /** A writer whose array starts with room for {@code estimate} bytes (within the array limits). */
    JsonWriter(long estimate) {
        buf = new byte[Math.clamp(estimate, 16, LARGEST_ARRAY)];
    }

    void startObject() {
        open('{');
    }

    void endObject() {
        close('}');
    }

    void startArray() {
        open('[');
    }

    void endArray() {
        close(']');
    }

    /** An object or array begins: a value in its place, so a comma may come first. */
    private void open(char bracket) {
        separate();
        put(bracket);
        afterValue = false;
    }

    /** An object or array ends: now it is the value just written. */
    private void close(char bracket) {
        put(bracket);
        afterValue = true;
    }

    /** An object member's name and the colon; its value comes next. */
    void name(String name) {
        separate();
        quoted(name);
        put(':');
        afterValue = false;
    }

    void string(String value) {
        separate();
        quoted(value);
        afterValue = true;
    }

    /** A decimal integer, as Go writes every integer type. */
    void number(long value) {
        separate();
        ensure(20); // "-9223372036854775808"
        if (value < 0) {
            buf[size++] = '-';
        }
        // Digits of the value's negative magnitude, so Long.MIN_VALUE needs no special case.
        long negative = value < 0 ? value : -value;
        int digits = 1;
        for (long rest = negative; rest <= -10; rest /= 10) {
            digits++;
        }
        for (int at = size + digits - 1; at >= size; at--) {
            buf[at] = (byte) ('0' - negative % 10);
            negative /= 10;
        }
        size += digits;
        afterValue = true;
    }

    /** {@code true} or {@code false}. */
    void bool(boolean value) {
        separate();
        String literal = value ? "true" : "false";
        ensure(literal.length());
        for (int i = 0; i < literal.length(); i++) {
            buf[size++] = (byte) literal.charAt(i);
        }
        afterValue = true;
    }

    /** {@code value} as a string of standard base64 with padding, as Go writes {@code []byte}. */
    void base64(byte[] value) {
        separate();
        // The JDK's encoder writes only from the start of an array: encode, then copy in.
        byte[] encoded = Base64.getEncoder().encode(value);
        ensure(encoded.length + 2);
        buf[size++] = '"';
        System.arraycopy(encoded, 0, buf, size, encoded.length);
        size += encoded.length;
        buf[size++] = '"';
        afterValue = true;
    }

    /**
     * Opens a string whose content the caller writes elsewhere (base64 streamed into a frame, see
     * {@link ExecResultPayload}): the comma if one is due, and the opening quote.
     */
    void openString() {
        separate();
        put('"');
    }

    /** Closes a string opened with {@link #openString()}: now it is the value just written. */
    void closeString() {
        put('"');
        afterValue = true;
    }

    /** The bytes written since the last call, copied out; the writer goes on from its present state. */
    byte[] takeWritten() {
        byte[] written = Arrays.copyOf(buf, size);
        size = 0;
        return written;
    }

    /** The bytes written, possibly in the writer's own array: the last call on a writer. */
    byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    private void separate() {
        if (afterValue) {
            put(',');
        }
    }

    /** One ASCII character. */
    private void put(char c) {
        ensure(1);
        buf[size++] = (byte) c;
    }

    /**
     * {@code s} in quotes, escaped as Go escapes it, in UTF-8. Every character takes at least one
     * byte, so the array always has room for one byte per remaining character and the closing
     * quote: a plain ASCII character, the usual case, needs no check, and a character written as
     * {@code k} bytes makes sure of {@code k} plus one for each character after it, plus one.
     */
    private void quoted(String s) {
        int length = s.length();
        ensure(length + 2);
        buf[size++] = '"';
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    buf[size++] = (byte) c;
                } else if (escape == HEX_ESCAPE) {
                    hexEscape(c, length - i);
                } else {
                    ensure(2 + length - i);
                    buf[size++] = '\\';
                    buf[size++] = escape;
                }
            } else if (c < 0x800) {
                ensure(2 + length - i);
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (c == '\u2028' || c == '\u2029') {
                // JavaScript reads these as line ends inside a string literal; Go escapes them.
                hexEscape(c, length - i);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, s.charAt(++i));
                ensure(4 + length - i);
                buf[size++] = (byte) (0xF0 | codePoint >> 18);
                buf[size++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                buf[size++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                // An unpaired surrogate has no UTF-8 form: U+FFFD, as Go writes for invalid UTF-8.
                char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
                ensure(3 + length - i);
                buf[size++] = (byte) (0xE0 | bmp >> 12);
                buf[size++] = (byte) (0x80 | bmp >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | bmp & 0x3F);
            }
        }
        buf[size++] = '"';
    }

    /** Backslash, {@code u} and four lowercase hex digits, as Go writes them; {@code remaining} counts {@code c} and what follows. */
    private void hexEscape(char c, int remaining) {
        ensure(6 + remaining);
        buf[size++] = '\\';
        buf[size++] = 'u';
        buf[size++] = HEX[c >> 12];
        buf[size++] = HEX[c >> 8 & 0xF];
        buf[size++] = HEX[c >> 4 & 0xF];
        buf[size++] = HEX[c & 0xF];
    }

    private void ensure(int bytes) {
        if (buf.length - size < bytes) {
            grow(bytes);
        }
    }

    private void grow(int bytes) {
        long needed = (long) size + bytes;
        if (needed > LARGEST_ARRAY) {
            throw new OutOfMemoryError("a JSON payload of " + needed + " bytes does not fit an array");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(LARGEST_ARRAY, Math.max(needed, 2L * buf.length)));
    }

    private static byte[] asciiEscapes() {
        byte[] escapes = new byte[0x80];
        for (int c = 0; c < 0x20; c++) {
            escapes[c] = HEX_ESCAPE;
        }
        // HTML-sensitive characters, as Go's Marshal escapes them by default.
        escapes['<'] = HEX_ESCAPE;
        escapes['>'] = HEX_ESCAPE;
        escapes['&'] = HEX_ESCAPE;
        escapes['"'] = '"';
        escapes['\\'] = '\\';
        // Go 1.22 and later write \b and \f in their short forms too.
        escapes['\b'] = 'b';
        escapes['\f'] = 'f';
        escapes['\n'] = 'n';
        escapes['\r'] = 'r';
        escapes['\t'] = 't';
        return escapes;
    }
}
