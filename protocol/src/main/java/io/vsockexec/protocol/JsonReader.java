package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON payload in a single pass over its bytes, with Go's {@code json.Unmarshal} rules
 * for the Go types the payloads use: {@code string}, {@code []string}, {@code map[string]string},
 * {@code []byte} and integers. Which field is which is the caller's: the
 * {@linkplain io.vsockexec.protocol payload classes} hold the one mapping of JSON to records.
 *
 * <p>The grammar is strict RFC 8259: whitespace is only space, tab, LF and CR; strings hold no raw
 * control characters and only valid UTF-8 (no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF); numbers follow the JSON grammar. Values of unknown fields are skipped without
 * recursion, and containers nested deeper than {@value #MAX_DEPTH} levels are rejected.
 *
 * <p>Every rejection is a {@link CorruptFrameException} naming the payload: a syntax error as
 * {@code not valid JSON: WHAT (at byte N)}, a valid value of the wrong kind naming the field.
 */
final class JsonReader {
    /** The most containers open at once, the top-level object included. */
    static final int MAX_DEPTH = 1000;

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] in;
    private final String payloadName;
    private int pos;
    /** Whether the top-level object has had no member yet. */
    private boolean firstField;
    /** For each container {@link #skipValue} has open, whether it is an object; allocated on first need. */
    private boolean[] skipped;

    /** A reader of {@code payload}, which names itself {@code payloadName} in error messages. */
    JsonReader(byte[] payload, String payloadName) {
        this.in = payload;
        this.payloadName = payloadName;
    }

    // ---------------------------------------------------------------- the top level and its members

    /**
     * Opens the top-level object: true at its start, false for a top-level {@code null} (which Go
     * reads as every field empty; the rest of the payload is then checked to be whitespace).
     */
    boolean openObject() throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == '{') {
            pos++;
            firstField = true;
            return true;
        }
        if (c < 0) {
            throw corrupt("the payload is empty, expected a JSON object");
        }
        if (c == 'n') {
            literal(NULL);
            finish();
            return false;
        }
        throw corrupt("expected a JSON object, got " + describeValue());
    }

    /**
     * Moves to the next member of the top-level object and returns its name as spelled in
     * {@code known} (matched exactly, or else ignoring case, as Go does), {@code ""} for an unknown
     * field, or null at the end of the object. The member's value is read next.
     */
    String nextField(String[] known) throws CorruptFrameException {
        if (!nextMember(firstField)) {
            return null;
        }
        firstField = false;
        return match(memberName(), known);
    }

    /**
     * {@code name} as spelled in {@code known}: matched exactly, or else ignoring case, as Go
     * matches field names; {@code ""} for an unknown name.
     */
    static String match(String name, String[] known) {
        for (String k : known) {
            if (k.equals(name)) {
                return k;
            }
        }
        for (String k : known) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return "";
    }

    /**
     * Opens an array that is a field's value: true at its start, false for {@code null} (Go's
     * empty slice). Its elements follow through {@link #nextInArray}.
     *
     * @param expected what the field must be, for the message, e.g. {@code an array of objects}
     */
    boolean openArray(String field, String expected) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 'n') {
            literal(NULL);
            return false;
        }
        if (c != '[') {
            throw wrongType(field, expected);
        }
        pos++;
        return true;
    }

    /** Moves to the next element of an array opened by {@link #openArray}: true at one, false after the end. */
    boolean nextInArray(boolean first) throws CorruptFrameException {
        return nextElement(first);
    }

    /**
     * Opens an object that is a value inside the top-level one (an array element): true at its
     * start, false for {@code null} (Go's zero value). Its members follow through
     * {@link #nextInObject}.
     */
    boolean openNestedObject(String field) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 'n') {
            literal(NULL);
            return false;
        }
        if (c != '{') {
            throw wrongType(field, "an object");
        }
        pos++;
        return true;
    }

    /**
     * Moves to the next member of an object opened by {@link #openNestedObject}, as
     * {@link #nextField} does for the top level; {@code first} for its first member.
     */
    String nextInObject(boolean first, String[] known) throws CorruptFrameException {
        if (!nextMember(first)) {
            return null;
        }
        return match(memberName(), known);
    }

    /** Checks that nothing but whitespace follows the top-level value. */
    void finish() throws CorruptFrameException {
        int c = skipWhitespace();
        if (c < 0) {
            return;
        }
        // A byte that can start a value starts a second one; any other is not JSON at all.
        if (startsValue(c)) {
            throw corrupt("unexpected data after the JSON value at byte " + pos);
        }
        throw unexpected("the end of the payload");
    }

    // ---------------------------------------------------------------- values, with Go's rules

    /** A string; {@code null} keeps {@code current}, as Go leaves the field unchanged. */
    String string(String field, String current) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == '"') {
            return readString();
        }
        if (c == 'n') {
            literal(NULL);
            return current;
        }
        throw wrongType(field, "a string");
    }

    /** A boolean; {@code null} keeps {@code current}, as Go leaves the field unchanged. */
    boolean bool(String field, boolean current) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 't') {
            literal(TRUE);
            return true;
        }
        if (c == 'f') {
            literal(FALSE);
            return false;
        }
        if (c == 'n') {
            literal(NULL);
            return current;
        }
        throw wrongType(field, "a boolean");
    }

    /** An array of strings (a null element is empty); {@code null} is an empty list. */
    List<String> strings(String field) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 'n') {
            literal(NULL);
            return List.of();
        }
        if (c != '[') {
            throw wrongType(field, "an array of strings");
        }
        pos++;
        List<String> values = new ArrayList<>();
        for (boolean first = true; nextElement(first); first = false) {
            int e = skipWhitespace();
            if (e == '"') {
                values.add(readString());
            } else if (e == 'n') {
                literal(NULL);
                values.add("");
            } else {
                throw wrongType(field + "[" + values.size() + "]", "a string");
            }
        }
        return values;
    }

    /**
     * An object of strings (a null value is empty), added to {@code current} as Go merges a
     * repeated map field; {@code null} is an empty map.
     */
    Map<String, String> stringMap(String field, Map<String, String> current) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 'n') {
            literal(NULL);
            return new HashMap<>();
        }
        if (c != '{') {
            throw wrongType(field, "an object of strings");
        }
        pos++;
        Map<String, String> map = current == null ? new HashMap<>() : current;
        for (boolean first = true; nextMember(first); first = false) {
            String key = memberName();
            int v = skipWhitespace();
            if (v == '"') {
                map.put(key, readString());
            } else if (v == 'n') {
                literal(NULL);
                map.put(key, "");
            } else {
                throw wrongType(field + "[\"" + key + "\"]", "a string");
            }
        }
        return map;
    }

    /**
     * A string of standard base64 with padding, as Go writes {@code []byte}; {@code null} is null.
     * Go's decoder skips CR and LF inside; the JDK's strict decoder does the rest.
     */
    byte[] base64(String field) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 'n') {
            literal(NULL);
            return null;
        }
        if (c != '"') {
            throw wrongType(field, "a base64 string");
        }
        int start = pos + 1;
        int end = plainEnd(start);
        if (end < in.length && in[end] == '"') {
            // No escapes, so no CR or LF: decode in place, without a string or a copy.
            pos = end + 1;
            return decodeBase64(field, in, start, end);
        }
        byte[] text = readString().replace("\r", "").replace("\n", "").getBytes(ISO_8859_1);
        return decodeBase64(field, text, 0, text.length);
    }

    /**
     * An integer in {@code min..max}; {@code null} keeps {@code current}, as Go leaves the field
     * unchanged. As Go's {@code strconv.ParseUint} does, an unsigned field ({@code min} 0) takes
     * no minus sign, not even in {@code -0}.
     */
    long integer(String field, long min, long max, long current) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == 'n') {
            literal(NULL);
            return current;
        }
        if (c != '-' && !isDigit(c)) {
            throw wrongType(field, "an integer");
        }
        int start = pos;
        int end = scanNumber();
        boolean negative = in[start] == '-';
        for (int i = negative ? start + 1 : start; i < end; i++) {
            if (!isDigit(in[i])) {
                pos = start;
                throw wrongType(field, "an integer");
            }
        }
        // Accumulated negatively, so Long.MIN_VALUE fits.
        long value = 0;
        boolean fits = !negative || min < 0;
        for (int i = negative ? start + 1 : start; i < end && fits; i++) {
            int digit = in[i] - '0';
            fits = value >= (Long.MIN_VALUE + digit) / 10;
            value = value * 10 - digit;
        }
        if (!negative) {
            fits &= value != Long.MIN_VALUE;
            value = -value;
        }
        if (!fits || value < min || value > max) {
            throw corrupt("field \"" + field + "\" must be between " + min + " and " + max + ", got "
                    + new String(in, start, end - start, ISO_8859_1));
        }
        return value;
    }

    /**
     * Skips the value of a member of the top-level object, whatever its kind, checking its
     * grammar. Iterative, so hostile nesting cannot overflow the stack; containers deeper than
     * {@value #MAX_DEPTH} levels, the top-level object counted, are rejected.
     */
    void skipValue() throws CorruptFrameException {
        int open = 0;
        boolean valueNext = true;
        while (true) {
            if (valueNext) {
                int c = skipWhitespace();
                if (c == '{' || c == '[') {
                    open = push(open, c == '{');
                    int d = skipWhitespace();
                    if (d == (c == '{' ? '}' : ']')) {
                        pos++;
                        open--;
                    } else {
                        if (c == '{') {
                            expectMemberStart();
                            memberName();
                        }
                        continue;
                    }
                } else {
                    skipScalar(c);
                }
            }
            if (open == 0) {
                return;
            }
            boolean inObject = skipped[open - 1];
            int c = skipWhitespace();
            if (c == ',') {
                pos++;
                if (inObject) {
                    skipWhitespace();
                    expectMemberStart();
                    memberName();
                }
                valueNext = true;
            } else if (c == (inObject ? '}' : ']')) {
                pos++;
                open--;
                valueNext = false;
            } else {
                throw unexpected(inObject ? "',' or '}'" : "',' or ']'");
            }
        }
    }

    // ---------------------------------------------------------------- structure

    /**
     * Moves to the next member of an object whose opening brace is behind: true at a member's name,
     * false after the closing brace (consumed).
     */
    private boolean nextMember(boolean first) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == '}') {
            pos++;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw unexpected("',' or '}'");
            }
            pos++;
            skipWhitespace();
            expectMemberStart();
        } else if (c != '"') {
            throw unexpected("a field name or '}'");
        }
        return true;
    }

    /**
     * Moves to the next element of an array whose opening bracket is behind: true at an element (not yet
     * checked), false after the closing bracket (consumed).
     */
    private boolean nextElement(boolean first) throws CorruptFrameException {
        int c = skipWhitespace();
        if (c == ']') {
            pos++;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw unexpected("',' or ']'");
            }
            pos++;
        }
        return true;
    }

    private void expectMemberStart() throws CorruptFrameException {
        if (pos >= in.length || in[pos] != '"') {
            throw unexpected("a field name");
        }
    }

    /** A member's name, at its opening quote, and the colon after it. */
    private String memberName() throws CorruptFrameException {
        String name = readString();
        if (skipWhitespace() != ':') {
            throw unexpected("':' after a field name");
        }
        pos++;
        return name;
    }

    /** Opens a container while skipping: {@code open} plus one, if the depth allows. */
    private int push(int open, boolean object) throws CorruptFrameException {
        // The top-level object is the first level, the skipped value's containers the next ones.
        if (1 + open >= MAX_DEPTH) {
            throw syntax("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (skipped == null) {
            skipped = new boolean[16];
        } else if (open == skipped.length) {
            skipped = Arrays.copyOf(skipped, Math.min(MAX_DEPTH, 2 * open));
        }
        skipped[open] = object;
        pos++;
        return open + 1;
    }

    private void skipScalar(int c) throws CorruptFrameException {
        switch (c) {
            case '"' -> skipString();
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> {
                if (c != '-' && !isDigit(c)) {
                    throw unexpected("a value");
                }
                scanNumber();
            }
        }
    }

    /** The next byte that is not JSON whitespace, left unread, or -1 at the end. */
    private int skipWhitespace() {
        while (pos < in.length) {
            int b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b & 0xFF;
            }
            pos++;
        }
        return -1;
    }

    private static boolean startsValue(int c) {
        return c == '{' || c == '[' || c == '"' || c == '-' || isDigit(c) || c == 't' || c == 'f' || c == 'n';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private void literal(byte[] word) throws CorruptFrameException {
        for (byte b : word) {
            if (pos >= in.length || in[pos] != b) {
                throw unexpected("'" + new String(word, ISO_8859_1) + "'");
            }
            pos++;
        }
    }

    /**
     * Checks the number at {@code pos} against the JSON grammar
     * ({@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}) and moves past it.
     *
     * @return the index after the number
     */
    private int scanNumber() throws CorruptFrameException {
        if (in[pos] == '-') {
            pos++;
        }
        if (pos < in.length && in[pos] == '0') {
            pos++;
            if (pos < in.length && isDigit(in[pos])) {
                throw syntax("a number has a leading zero");
            }
        } else {
            digits("a digit");
        }
        if (pos < in.length && in[pos] == '.') {
            pos++;
            digits("a digit after the decimal point");
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            digits("a digit in the exponent");
        }
        return pos;
    }

    /** One or more digits. */
    private void digits(String expected) throws CorruptFrameException {
        if (pos >= in.length || !isDigit(in[pos])) {
            throw unexpected(expected);
        }
        do {
            pos++;
        } while (pos < in.length && isDigit(in[pos]));
    }

    // ---------------------------------------------------------------- strings

    /**
     * The index of the first byte from {@code from} that ends a plain run of a string: a quote, a
     * backslash, a control character, a non-ASCII byte, or the end of the payload.
     */
    private int plainEnd(int from) {
        int i = from;
        // Bytes are signed: non-ASCII bytes are negative, so below 0x20 too.
        while (i < in.length && in[i] >= 0x20 && in[i] != '"' && in[i] != '\\') {
            i++;
        }
        return i;
    }

    /** The string at {@code pos} (its opening quote), decoded; moves past its closing quote. */
    private String readString() throws CorruptFrameException {
        int start = pos + 1;
        int end = plainEnd(start);
        if (end < in.length && in[end] == '"') {
            // ASCII only: each byte is its character.
            pos = end + 1;
            return new String(in, start, end - start, ISO_8859_1);
        }
        StringBuilder text = new StringBuilder(end - start + 16);
        for (int i = start; i < end; i++) {
            text.append((char) in[i]);
        }
        pos = end;
        decodeRest(text);
        return text.toString();
    }

    /** Checks the string at {@code pos} (its opening quote) and moves past its closing quote. */
    private void skipString() throws CorruptFrameException {
        pos = plainEnd(pos + 1);
        decodeRest(null);
    }

    /**
     * Decodes a string from {@code pos} to its closing quote into {@code text}, or only checks it
     * if {@code text} is null: escapes, UTF-8 sequences, and the rejections of both.
     */
    private void decodeRest(StringBuilder text) throws CorruptFrameException {
        while (true) {
            if (pos >= in.length) {
                throw syntax("unexpected end of input in a string");
            }
            int b = in[pos] & 0xFF;
            if (b == '"') {
                pos++;
                return;
            }
            if (b == '\\') {
                escape(text);
            } else if (b < 0x20) {
                throw syntax("control character " + hex(b) + " in a string must be escaped");
            } else if (b < 0x80) {
                pos++;
                if (text != null) {
                    text.append((char) b);
                }
            } else {
                int codePoint = utf8(b);
                if (text != null) {
                    text.appendCodePoint(codePoint);
                }
            }
        }
    }

    /** The escape at {@code pos} (its backslash). */
    private void escape(StringBuilder text) throws CorruptFrameException {
        if (pos + 1 >= in.length) {
            pos++;
            throw syntax("unexpected end of input in an escape");
        }
        byte letter = in[pos + 1];
        if (letter == 'u') {
            unicodeEscape(text);
            return;
        }
        char c = switch (letter) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> {
                pos++;
                throw syntax("invalid escape: " + describeByte(letter & 0xFF) + " after a backslash");
            }
        };
        pos += 2;
        if (text != null) {
            text.append(c);
        }
    }

    /**
     * The {@code \}{@code uXXXX} escape at {@code pos}. A surrogate is combined with a following
     * escape of its pair; one without its pair becomes U+FFFD, and what follows is read on its own,
     * as Go decodes it.
     */
    private void unicodeEscape(StringBuilder text) throws CorruptFrameException {
        int unit = hex4(pos + 2);
        if (unit < 0) {
            pos += 2;
            throw syntax("a \\u escape needs four hex digits");
        }
        pos += 6;
        if (Character.isSurrogate((char) unit)) {
            int low = pos + 1 < in.length && in[pos] == '\\' && in[pos + 1] == 'u' ? hex4(pos + 2) : -1;
            if (Character.isHighSurrogate((char) unit) && low >= 0 && Character.isLowSurrogate((char) low)) {
                pos += 6;
                if (text != null) {
                    text.append((char) unit).append((char) low);
                }
                return;
            }
            unit = '\uFFFD';
        }
        if (text != null) {
            text.append((char) unit);
        }
    }

    /** The four hex digits at {@code at} as a number, or -1 if there are not four. */
    private int hex4(int at) {
        if (at + 4 > in.length) {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int b = in[i];
            int digit = b >= '0' && b <= '9' ? b - '0'
                    : b >= 'a' && b <= 'f' ? b - 'a' + 10
                    : b >= 'A' && b <= 'F' ? b - 'A' + 10
                    : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * The code point of the UTF-8 sequence at {@code pos}, whose first byte is {@code lead} (not
     * ASCII); moves past it. Only the shortest form of a scalar value is valid (RFC 3629): the
     * ranges of the second byte exclude overlong forms, surrogates and code points above U+10FFFF.
     */
    private int utf8(int lead) throws CorruptFrameException {
        if (lead >= 0xC2 && lead <= 0xDF) {
            int codePoint = (lead & 0x1F) << 6 | continuation(1, 0x80, 0xBF);
            pos += 2;
            return codePoint;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            int second = continuation(1, lead == 0xE0 ? 0xA0 : 0x80, lead == 0xED ? 0x9F : 0xBF);
            int codePoint = (lead & 0x0F) << 12 | second << 6 | continuation(2, 0x80, 0xBF);
            pos += 3;
            return codePoint;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            int second = continuation(1, lead == 0xF0 ? 0x90 : 0x80, lead == 0xF4 ? 0x8F : 0xBF);
            int codePoint = (lead & 0x07) << 18 | second << 12 | continuation(2, 0x80, 0xBF) << 6
                    | continuation(3, 0x80, 0xBF);
            pos += 4;
            return codePoint;
        }
        throw syntax("invalid UTF-8: byte " + hex(lead) + " cannot start a character");
    }

    /** The low six bits of byte {@code pos + offset}, which must be in {@code min..max}. */
    private int continuation(int offset, int min, int max) throws CorruptFrameException {
        int at = pos + offset;
        int lead = in[pos] & 0xFF;
        if (at >= in.length) {
            throw syntax("invalid UTF-8: the sequence starting with byte " + hex(lead) + " is cut off by the end of input");
        }
        int b = in[at] & 0xFF;
        if (b < min || b > max) {
            throw syntax("invalid UTF-8: byte " + hex(b) + " at offset " + offset
                    + " of the sequence starting with byte " + hex(lead));
        }
        return b & 0x3F;
    }

    // ---------------------------------------------------------------- base64

    private byte[] decodeBase64(String field, byte[] text, int from, int to) throws CorruptFrameException {
        int length = to - from;
        if (length % 4 != 0) {
            // The JDK's decoder accepts missing padding; Go's StdEncoding does not.
            throw corrupt("field \"" + field + "\" is not padded base64: its length " + length + " is not a multiple of 4");
        }
        try {
            ByteBuffer bytes = Base64.getDecoder().decode(ByteBuffer.wrap(text, from, length));
            byte[] array = bytes.array();
            return bytes.remaining() == array.length ? array : Arrays.copyOf(array, bytes.remaining());
        } catch (IllegalArgumentException e) {
            throw corrupt("field \"" + field + "\" is not valid base64: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- errors

    /** How the value at {@code pos} appears in a wrong-type message, once checked to be a value. */
    private String describeValue() throws CorruptFrameException {
        int c = skipWhitespace();
        switch (c) {
            case '"' -> {
                return "a string";
            }
            case '{' -> {
                return "an object";
            }
            case '[' -> {
                return "an array";
            }
            case 't' -> {
                literal(TRUE);
                return "a boolean";
            }
            case 'f' -> {
                literal(FALSE);
                return "a boolean";
            }
            case 'n' -> {
                literal(NULL);
                return "null";
            }
            default -> {
                if (c != '-' && !isDigit(c)) {
                    throw unexpected("a value");
                }
                int start = pos;
                return "the number " + new String(in, start, scanNumber() - start, ISO_8859_1);
            }
        }
    }

    private CorruptFrameException wrongType(String field, String expected) throws CorruptFrameException {
        return corrupt("field \"" + field + "\" must be " + expected + ", got " + describeValue());
    }

    /** A syntax error at {@code pos}: the byte found there, or the end, and what was expected instead. */
    private CorruptFrameException unexpected(String expected) {
        if (pos >= in.length) {
            return syntax("unexpected end of input, expected " + expected);
        }
        return syntax("unexpected " + describeByte(in[pos] & 0xFF) + ", expected " + expected);
    }

    private CorruptFrameException syntax(String what) {
        return corrupt("not valid JSON: " + what + " (at byte " + pos + ")");
    }

    private CorruptFrameException corrupt(String detail) {
        return new CorruptFrameException("invalid " + payloadName + " payload: " + detail);
    }

    /** A printable ASCII character in quotes, any other byte in hex. */
    private static String describeByte(int b) {
        return b > 0x20 && b < 0x7F ? "character '" + (char) b + "'" : "byte " + hex(b);
    }

    private static String hex(int b) {
        return "0x" + HEX[b >> 4] + HEX[b & 0xF];
    }
}
