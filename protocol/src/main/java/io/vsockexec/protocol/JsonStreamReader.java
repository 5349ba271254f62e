package io.vsockexec.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Reads one JSON object from a stream, member by member, holding at most one small value at a
 * time: for the payloads that carry a file, whose base64 content may be 22 MB. Each value but the
 * streamed one is captured whole (up to {@value #VALUE_LIMIT} bytes) and read by a
 * {@link JsonReader}, so Go's rules and the strict grammar are applied exactly as for payloads
 * held in memory; the streamed value, a base64 string, is decoded chunk by chunk into a stream
 * ({@link #base64}).
 *
 * <p>What this class checks itself is the structure of the top-level object (braces, commas,
 * colons, nothing after it) and the string it streams; a captured value that is not valid JSON is
 * rejected by its {@link JsonReader}, whose positions in messages then count from the value's
 * start. Every rejection is a {@link CorruptFrameException} naming the payload.
 */
final class JsonStreamReader {
    /** The longest value other than the streamed one: a path, a mode, an error text, an unknown field. */
    static final int VALUE_LIMIT = 64 * 1024;
    private static final int BUFFER = 8192;

    private final InputStream in;
    private final String payloadName;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** Bytes of the payload before {@code buf[0]}, for positions in messages. */
    private long before;
    private boolean firstField = true;
    /** The current member's name as sent, for messages about a field the caller does not know. */
    private String currentName = "";
    /** The value being captured; grows up to {@link #VALUE_LIMIT}. */
    private byte[] value = new byte[256];
    private int valueLength;

    /** A reader of {@code in} to its end, which names itself {@code payloadName} in error messages. */
    JsonStreamReader(InputStream in, String payloadName) {
        this.in = in;
        this.payloadName = payloadName;
    }

    // ---------------------------------------------------------------- the top-level object

    /** Opens the top-level object: true at its start, false for a top-level {@code null}. */
    boolean openObject() throws IOException {
        int c = skipWhitespace();
        if (c == '{') {
            pos++;
            return true;
        }
        if (c < 0) {
            throw corrupt("the payload is empty, expected a JSON object");
        }
        if (c == 'n') {
            capture("");
            new JsonReader(Arrays.copyOf(value, valueLength), payloadName).openObject();
            return false;
        }
        throw syntax("expected a JSON object, got " + describe(c));
    }

    /**
     * Moves to the next member and returns its name as spelled in {@code known}
     * ({@link JsonReader#match}), {@code ""} for an unknown one, or null after the closing brace.
     * Its value is read next, by {@link #value} or {@link #base64}.
     */
    String nextField(String[] known) throws IOException {
        int c = skipWhitespace();
        if (c == '}') {
            pos++;
            return null;
        }
        if (!firstField) {
            if (c != ',') {
                throw unexpected(c, "',' or '}'");
            }
            pos++;
            c = skipWhitespace();
        }
        if (c != '"') {
            throw unexpected(c, firstField ? "a field name or '}'" : "a field name");
        }
        firstField = false;
        captureString("a field name");
        JsonReader name = new JsonReader(Arrays.copyOf(value, valueLength), payloadName);
        String text = name.string("name", "");
        name.finish();
        c = skipWhitespace();
        if (c != ':') {
            throw unexpected(c, "':' after a field name");
        }
        pos++;
        currentName = text;
        return JsonReader.match(text, known);
    }

    /**
     * The current member's value, captured whole, as a reader positioned at it: the caller reads
     * it with the reader's typed methods (or {@link JsonReader#skipValue}) and then calls
     * {@link JsonReader#finish}.
     *
     * @throws CorruptFrameException if the value is longer than {@value #VALUE_LIMIT} bytes
     */
    JsonReader value(String field) throws IOException {
        skipWhitespace();
        capture(field.isEmpty() ? currentName : field);
        return new JsonReader(Arrays.copyOf(value, valueLength), payloadName);
    }

    /**
     * Decodes the current member's value, a base64 string (Go's {@code []byte}), into {@code sink}
     * as it arrives, and closes {@code sink}; {@code null} writes nothing. Escapes are decoded
     * first and CR and LF skipped, as Go does; padding is required.
     *
     * @return the number of bytes written to {@code sink}
     */
    long base64(String field, OutputStream sink) throws IOException {
        try (OutputStream out = sink) {
            int c = skipWhitespace();
            if (c == '"') {
                pos++;
                Base64Chunks chunks = new Base64Chunks(field, out);
                streamString(chunks);
                return chunks.finish();
            }
            // null, or a value of the wrong type: the reader says which.
            JsonReader v = value(field);
            v.base64(field);
            v.finish();
            return 0;
        }
    }

    /** Checks that nothing but whitespace follows the top-level value, to the end of the payload. */
    void finish() throws IOException {
        int c = skipWhitespace();
        if (c < 0) {
            return;
        }
        if (c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
            throw corrupt("unexpected data after the JSON value at byte " + position());
        }
        throw unexpected(c, "the end of the payload");
    }

    // ---------------------------------------------------------------- capturing a value

    /** Captures the value at the current byte into {@link #value}: a string, a container or a scalar. */
    private void capture(String field) throws IOException {
        valueLength = 0;
        int c = peek();
        if (c == '"') {
            captureString(field);
        } else if (c == '{' || c == '[') {
            captureContainer(field);
        } else if (c < 0) {
            throw syntax("unexpected end of input, expected a value");
        } else {
            // A number or literal: up to the next delimiter; the reader checks what it is.
            while (c >= 0 && c != ',' && c != '}' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                keep(field, c);
                c = peek();
            }
        }
    }

    /** Captures the string at the current byte, quotes and escapes as they are. */
    private void captureString(String field) throws IOException {
        valueLength = 0;
        keep(field, peek()); // the opening quote
        while (true) {
            int c = peek();
            if (c < 0) {
                throw syntax("unexpected end of input in a string");
            }
            keep(field, c);
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                int next = peek();
                if (next < 0) {
                    throw syntax("unexpected end of input in an escape");
                }
                keep(field, next);
            }
        }
    }

    /** Captures an object or array, counting brackets outside strings; the reader checks the rest. */
    private void captureContainer(String field) throws IOException {
        int depth = 0;
        boolean inString = false;
        do {
            int c = peek();
            if (c < 0) {
                throw syntax("unexpected end of input in the value of field \"" + field + "\"");
            }
            keep(field, c);
            if (inString) {
                if (c == '\\') {
                    int next = peek();
                    if (next >= 0) {
                        keep(field, next);
                    }
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth >= JsonReader.MAX_DEPTH) {
                    throw syntax("nesting deeper than " + JsonReader.MAX_DEPTH + " levels");
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        } while (depth > 0);
    }

    /** Appends the byte just peeked to the captured value and moves past it. */
    private void keep(String field, int c) throws CorruptFrameException {
        pos++;
        if (valueLength == value.length) {
            if (valueLength == VALUE_LIMIT) {
                throw corrupt(describeField(field) + " is longer than " + VALUE_LIMIT + " bytes");
            }
            value = Arrays.copyOf(value, Math.min(VALUE_LIMIT, 2 * valueLength));
        }
        value[valueLength++] = (byte) c;
    }

    // ---------------------------------------------------------------- streaming a string

    /**
     * Feeds the characters of the string whose opening quote is behind to {@code chunks}, up to
     * and past its closing quote: plain runs in bulk, escapes decoded, raw control characters
     * rejected. Bytes of non-ASCII characters are passed on as they are: no base64 character is
     * among them, so the decoder rejects them.
     */
    private void streamString(Base64Chunks chunks) throws IOException {
        while (true) {
            if (pos == limit && !fill()) {
                throw syntax("unexpected end of input in a string");
            }
            int start = pos;
            while (pos < limit && buf[pos] != '"' && buf[pos] != '\\' && (buf[pos] & 0xFF) >= 0x20) {
                pos++;
            }
            chunks.add(buf, start, pos - start);
            if (pos == limit) {
                continue;
            }
            int c = buf[pos] & 0xFF;
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                pos++;
                int decoded = escape();
                if (decoded >= 0) {
                    chunks.add(decoded);
                }
            } else {
                throw syntax("control character 0x" + Integer.toHexString(c) + " in a string must be escaped");
            }
        }
    }

    /** The character of the escape whose backslash is behind, or -1 for one that base64 skips (CR, LF). */
    private int escape() throws IOException {
        int letter = next("an escape");
        int c = switch (letter) {
            case '"', '\\', '/' -> letter;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4();
            default -> throw syntax("invalid escape: '" + (char) letter + "' after a backslash");
        };
        if (c == '\n' || c == '\r') {
            return -1;
        }
        // Anything outside ASCII is no base64 character: pass a byte the decoder rejects.
        return c < 0x80 ? c : 0x80;
    }

    private int hex4() throws IOException {
        int unit = 0;
        for (int i = 0; i < 4; i++) {
            int b = next("a \\u escape");
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                throw syntax("a \\u escape needs four hex digits");
            }
            unit = unit << 4 | digit;
        }
        return unit;
    }

    private int next(String where) throws IOException {
        int c = peek();
        if (c < 0) {
            throw syntax("unexpected end of input in " + where);
        }
        pos++;
        return c;
    }

    // ---------------------------------------------------------------- input

    /** The next byte, not consumed, or -1 at the end of the payload. */
    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos] & 0xFF;
    }

    private int skipWhitespace() throws IOException {
        int c = peek();
        while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pos++;
            c = peek();
        }
        return c;
    }

    private boolean fill() throws IOException {
        before += limit;
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private long position() {
        return before + pos;
    }

    // ---------------------------------------------------------------- errors

    private static String describeField(String field) {
        return field.startsWith("a ") ? field : "the value of field \"" + field + "\"";
    }

    private static String describe(int c) {
        return switch (c) {
            case '"' -> "a string";
            case '[' -> "an array";
            case 't', 'f' -> "a boolean";
            default -> c == '-' || (c >= '0' && c <= '9') ? "a number" : "character '" + (char) c + "'";
        };
    }

    private CorruptFrameException unexpected(int c, String expected) {
        if (c < 0) {
            return syntax("unexpected end of input, expected " + expected);
        }
        String found = c > 0x20 && c < 0x7F ? "character '" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
        return syntax("unexpected " + found + ", expected " + expected);
    }

    private CorruptFrameException syntax(String what) {
        return corrupt("not valid JSON: " + what + " (at byte " + position() + ")");
    }

    private CorruptFrameException corrupt(String detail) {
        return new CorruptFrameException("invalid " + payloadName + " payload: " + detail);
    }

    /**
     * Base64 characters gathered into whole chunks of 4-character groups and decoded a chunk at
     * a time into the sink, through two fixed arrays. Padding may end only the last group.
     */
    private final class Base64Chunks {
        /** 16 KiB of characters: 12 KiB of bytes. */
        private static final int CHUNK = 16 * 1024;

        private final String field;
        private final OutputStream out;
        private final byte[] chars = new byte[CHUNK];
        private final byte[] bytes = new byte[CHUNK / 4 * 3];
        private int count;
        private long total;
        private long written;
        private boolean padded;

        Base64Chunks(String field, OutputStream out) {
            this.field = field;
            this.out = out;
        }

        void add(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, CHUNK - count);
                checkNotPadded();
                System.arraycopy(b, off, chars, count, n);
                count += n;
                off += n;
                len -= n;
                if (count == CHUNK) {
                    flush(chars);
                }
            }
        }

        void add(int c) throws IOException {
            checkNotPadded();
            chars[count++] = (byte) c;
            if (count == CHUNK) {
                flush(chars);
            }
        }

        /** Decodes what is left; returns the number of bytes written. */
        long finish() throws IOException {
            long length = total + count;
            if (length % 4 != 0) {
                // The JDK's decoder accepts missing padding; Go's StdEncoding does not.
                throw corrupt("field \"" + field + "\" is not padded base64: its length " + length
                        + " is not a multiple of 4");
            }
            if (count > 0) {
                flush(Arrays.copyOf(chars, count));
            }
            return written;
        }

        private void flush(byte[] group) throws IOException {
            int n;
            try {
                n = java.util.Base64.getDecoder().decode(group, bytes);
            } catch (IllegalArgumentException e) {
                throw corrupt("field \"" + field + "\" is not valid base64: " + e.getMessage());
            }
            padded = group[group.length - 1] == '=';
            total += group.length;
            count = 0;
            out.write(bytes, 0, n);
            written += n;
        }

        private void checkNotPadded() throws CorruptFrameException {
            if (padded) {
                throw corrupt("field \"" + field + "\" is not valid base64: data after the padding");
            }
        }
    }
}
