package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader's grammar, RFC 8259 and nothing more, and its messages. Values are read as the
 * member {@code "s"} of a top-level object (known: read as a string or an integer) or as the
 * member {@code "x"} (unknown: skipped, which checks every kind of value).
 */
class JsonReaderTest {
    private static final String[] KNOWN = {"s"};
    private static final String PREFIX = "invalid Test payload: ";
    private static final String SYNTAX = PREFIX + "not valid JSON: ";

    // ---------------------------------------------------------------- helpers

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    /** {@code before}, then the bytes in hex, then {@code after}. */
    private static byte[] withBytes(String before, String hex, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        out.writeBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    /** The string value of the one member {@code "s"} of {@code payload}. */
    private static String readString(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "Test");
        assertThat(in.openObject()).isTrue();
        assertThat(in.nextField(KNOWN)).isEqualTo("s");
        String value = in.string("s", "kept");
        assertThat(in.nextField(KNOWN)).isNull();
        in.finish();
        return value;
    }

    /** The string {@code jsonString}, a JSON string literal, decoded. */
    private static String string(String jsonString) throws CorruptFrameException {
        return readString(utf8("{\"s\":" + jsonString + "}"));
    }

    /** The integer {@code jsonNumber} read for a field of {@code min..max}. */
    private static long integer(String jsonNumber, long min, long max) throws CorruptFrameException {
        JsonReader in = new JsonReader(utf8("{\"s\":" + jsonNumber + "}"), "Test");
        in.openObject();
        in.nextField(KNOWN);
        long value = in.integer("s", min, max, -42);
        assertThat(in.nextField(KNOWN)).isNull();
        return value;
    }

    /** Reads {@code payload}, an object, skipping every member. */
    private static void skipAll(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "Test");
        if (in.openObject()) {
            for (String field = in.nextField(KNOWN); field != null; field = in.nextField(KNOWN)) {
                in.skipValue();
            }
            in.finish();
        }
    }

    /** Reads {@code {"x":VALUE}}, skipping the value. */
    private static void skip(String value) throws CorruptFrameException {
        skipAll(utf8("{\"x\":" + value + "}"));
    }

    private static String nested(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    // ---------------------------------------------------------------- whitespace and the top level

    @Test
    void acceptsSpaceTabLineFeedAndCarriageReturnAsWhitespace() throws Exception {
        assertThat(readString(utf8(" \t\r\n{ \t\r\n\"s\" \t\r\n: \t\r\n\"v\" \t\r\n} \t\r\n"))).isEqualTo("v");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"0c", "0b", "00", "c2a0", "efbbbf", "e28087"})
    void rejectsOtherWhitespaceAndByteOrderMarks(String hex) {
        assertThatThrownBy(() -> skipAll(withBytes("", hex, "{}")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "unexpected byte 0x" + hex.substring(0, 2) + ", expected a value (at byte 0)");
        assertThatThrownBy(() -> skipAll(withBytes("{", hex, "}")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "unexpected byte 0x" + hex.substring(0, 2) + ", expected a field name or '}' (at byte 1)");
    }

    @Test
    void rejectsSecondValueAfterTheTopLevelOne() {
        assertThatThrownBy(() -> skipAll(utf8("null null")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(PREFIX + "unexpected data after the JSON value at byte 5");
        assertThatThrownBy(() -> skipAll(utf8("{}\n\"x\"")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(PREFIX + "unexpected data after the JSON value at byte 3");
    }

    @Test
    void rejectsBytesThatCannotStartAValueAfterTheTopLevelOne() {
        assertThatThrownBy(() -> skipAll(utf8("{} }")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "unexpected character '}', expected the end of the payload (at byte 3)");
    }

    @Test
    void acceptsTopLevelNullWithWhitespaceAround() {
        assertThatCode(() -> skipAll(utf8(" \nnull\t "))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        `{`              | unexpected end of input, expected a field name or '}' (at byte 1)
        `{"x"`           | unexpected end of input, expected ':' after a field name (at byte 4)
        `{"x" 1}`        | unexpected character '1', expected ':' after a field name (at byte 5)
        `{"x":}`         | unexpected character '}', expected a value (at byte 5)
        `{"x":1 "y":2}`  | unexpected character '"', expected ',' or '}' (at byte 7)
        `{"x":1,}`       | unexpected character '}', expected a field name (at byte 7)
        `{x:1}`          | unexpected character 'x', expected a field name or '}' (at byte 1)
        `{1:1}`          | unexpected character '1', expected a field name or '}' (at byte 1)
        `{"x":[1,]}`     | unexpected character ']', expected a value (at byte 8)
        `{"x":[,1]}`     | unexpected character ',', expected a value (at byte 6)
        `{"x":[1 2]}`    | unexpected character '2', expected ',' or ']' (at byte 8)
        `{"x":[1}`       | unexpected character '}', expected ',' or ']' (at byte 7)
        `{"x":{"a":1]}`  | unexpected character ']', expected ',' or '}' (at byte 11)
        `{"x":{"a":1,}}` | unexpected character '}', expected a field name (at byte 12)
        `{"x":{a:1}}`    | unexpected character 'a', expected a field name (at byte 6)
        `{"x":[`         | unexpected end of input, expected a value (at byte 6)
        `{"x":[[]`       | unexpected end of input, expected ',' or ']' (at byte 8)
        """)
    void rejectsBrokenStructureNamingTheByte(String payload, String message) {
        assertThatThrownBy(() -> skipAll(utf8(payload)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + message.strip());
    }

    // ---------------------------------------------------------------- nesting

    @Test
    void skipsNestingUpToTheLimit() {
        // The top-level object is the first of the 1000 levels.
        assertThatCode(() -> skip(nested(JsonReader.MAX_DEPTH - 1))).doesNotThrowAnyException();
        assertThatCode(() -> skip("{\"a\":".repeat(JsonReader.MAX_DEPTH - 1) + "1" + "}".repeat(JsonReader.MAX_DEPTH - 1)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsNestingDeeperThanLimit() {
        String tooDeep = nested(JsonReader.MAX_DEPTH);

        assertThatThrownBy(() -> skip(tooDeep))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "nesting deeper than 1000 levels (at byte " + (5 + JsonReader.MAX_DEPTH - 1) + ")");
    }

    @Test
    void rejectsHostileNestingWhereItPassesTheLimit() {
        // 200,000 levels: the 1001st container (the 1000th of the skipped value) is the '{' at byte
        // 5 + 6 * 499 + 1, and nothing after it is read.
        String hostile = "{\"x\":" + "[{\"a\":".repeat(100_000);

        assertThatThrownBy(() -> skipAll(utf8(hostile)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "nesting deeper than 1000 levels (at byte 3000)");
    }

    @Test
    void skipsMixedNestedValues() throws Exception {
        byte[] payload = utf8("{\"x\":[{\"a\":[1,-2.5e-3,\"]}\\\"\",true,false,null,{}],\"b\":{\"c\":[]}},[]],\"s\":\"v\"}");

        JsonReader in = new JsonReader(payload, "Test");
        in.openObject();
        assertThat(in.nextField(KNOWN)).isEmpty();
        in.skipValue();
        assertThat(in.nextField(KNOWN)).isEqualTo("s");
        assertThat(in.string("s", "")).isEqualTo("v");
    }

    // ---------------------------------------------------------------- literals

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"true", "false", "null", " true ", "[true,false,null]"})
    void skipsLiterals(String value) {
        assertThatCode(() -> skip(value)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        tru      | unexpected character '}', expected 'true' (at byte 8)
        True     | unexpected character 'T', expected a value (at byte 5)
        nul      | unexpected character '}', expected 'null' (at byte 8)
        NULL     | unexpected character 'N', expected a value (at byte 5)
        fals     | unexpected character '}', expected 'false' (at byte 9)
        falsey   | unexpected character 'y', expected ',' or '}' (at byte 10)
        nan      | unexpected character 'a', expected 'null' (at byte 6)
        NaN      | unexpected character 'N', expected a value (at byte 5)
        Infinity | unexpected character 'I', expected a value (at byte 5)
        'a'      | unexpected character ''', expected a value (at byte 5)
        """)
    void rejectsMisspelledLiterals(String value, String message) {
        assertThatThrownBy(() -> skip(value))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + message.strip());
    }

    // ---------------------------------------------------------------- numbers

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"0", "-0", "7", "-7", "10", "1234567890", "0.5", "-0.0", "1.25", "1e5", "1E5", "1e+5",
        "1e-5", "1.5E-05", "0e0", "123456789012345678901234567890", "1e400", "-1.7976931348623157e308"})
    void skipsNumbersOfTheJsonGrammar(String number) {
        assertThatCode(() -> skip(number)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        01    | a number has a leading zero (at byte 6)
        -01   | a number has a leading zero (at byte 7)
        00    | a number has a leading zero (at byte 6)
        +1    | unexpected character '+', expected a value (at byte 5)
        .5    | unexpected character '.', expected a value (at byte 5)
        1.    | unexpected character '}', expected a digit after the decimal point (at byte 7)
        1.e5  | unexpected character 'e', expected a digit after the decimal point (at byte 7)
        1e    | unexpected character '}', expected a digit in the exponent (at byte 7)
        1e+   | unexpected character '}', expected a digit in the exponent (at byte 8)
        -     | unexpected character '}', expected a digit (at byte 6)
        - 1   | unexpected byte 0x20, expected a digit (at byte 6)
        -a    | unexpected character 'a', expected a digit (at byte 6)
        0x10  | unexpected character 'x', expected ',' or '}' (at byte 6)
        1_000 | unexpected character '_', expected ',' or '}' (at byte 6)
        1.5.5 | unexpected character '.', expected ',' or '}' (at byte 8)
        """)
    void rejectsNumbersOutsideTheJsonGrammar(String number, String message) {
        assertThatThrownBy(() -> skip(number))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + message.strip());
    }

    @Test
    void rejectsNumbersOutsideTheJsonGrammarWhereAnIntegerIsExpected() {
        assertThatThrownBy(() -> integer("01", 0, 10))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "a number has a leading zero (at byte 6)");
        assertThatThrownBy(() -> integer("1.", 0, 10))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "unexpected character '}', expected a digit after the decimal point (at byte 7)");
    }

    @Test
    void readsIntegersAtTheLimitsOfALong() throws Exception {
        assertThat(integer("9223372036854775807", Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(integer("-9223372036854775808", Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(integer("-0", -1, 1)).isZero();
        assertThat(integer("null", 0, 1)).isEqualTo(-42);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999999"})
    void rejectsIntegersThatDoNotFitALongWithTheRangeMessage(String number) {
        assertThatThrownBy(() -> integer(number, Long.MIN_VALUE, Long.MAX_VALUE))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(PREFIX + "field \"s\" must be between -9223372036854775808 and 9223372036854775807, got " + number);
    }

    @Test
    void rejectsMinusZeroForUnsignedFieldsAsGoDoes() {
        // Go's strconv.ParseUint takes no sign at all.
        assertThatThrownBy(() -> integer("-0", 0, 65535))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(PREFIX + "field \"s\" must be between 0 and 65535, got -0");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1.0", "1e0", "-0.0", "1E+2", "99999999999999999999.5"})
    void rejectsFloatsWhereAnIntegerIsExpected(String number) {
        assertThatThrownBy(() -> integer(number, Long.MIN_VALUE, Long.MAX_VALUE))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(PREFIX + "field \"s\" must be an integer, got the number " + number);
    }

    // ---------------------------------------------------------------- strings

    @Test
    void decodesEveryShortEscape() throws Exception {
        assertThat(string("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")).isEqualTo("\"\\/\b\f\n\r\t");
    }

    @Test
    void decodesUnicodeEscapesInEitherCase() throws Exception {
        assertThat(string("\"\\u00e9\\u00E9\\u0041\\u0000\\uFFFF\"")).isEqualTo("ééA\u0000\uFFFF");
    }

    @Test
    void decodesSurrogatePairEscapes() throws Exception {
        assertThat(string("\"\\ud83d\\ude00\\uD83D\\uDE00\\udbff\\udfff\"")).isEqualTo("😀😀\uDBFF\uDFFF");
    }

    @Test
    void replacesUnpairedSurrogateEscapesAsGoDoes() throws Exception {
        assertThat(string("\"\\ud800\"")).isEqualTo("\uFFFD");
        assertThat(string("\"\\udc00\"")).isEqualTo("\uFFFD");
        assertThat(string("\"\\ud800x\"")).isEqualTo("\uFFFDx");
        assertThat(string("\"\\ud800\\n\"")).isEqualTo("\uFFFD\n");
        // The escape after an unpaired high surrogate is read on its own, and may start a pair.
        assertThat(string("\"\\ud800\\u0041\"")).isEqualTo("\uFFFDA");
        assertThat(string("\"\\ud800\\ud800\\udc00\"")).isEqualTo("\uFFFD\uD800\uDC00");
        assertThat(string("\"\\ude00\\ud83d\"")).isEqualTo("\uFFFD\uFFFD");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        `"\\x"`          | invalid escape: character 'x' after a backslash (at byte 7)
        `"\\'"`          | invalid escape: character ''' after a backslash (at byte 7)
        `"\\U0041"`      | invalid escape: character 'U' after a backslash (at byte 7)
        `"\\u12"`        | a \\u escape needs four hex digits (at byte 8)
        `"\\u12g4"`      | a \\u escape needs four hex digits (at byte 8)
        `"\\ud800\\u12"` | a \\u escape needs four hex digits (at byte 14)
        `"\\`            | unexpected end of input in an escape (at byte 7)
        `"abc`           | unexpected end of input in a string (at byte 9)
        `"abc\\n`        | unexpected end of input in a string (at byte 11)
        """)
    void rejectsInvalidEscapes(String payloadValue, String message) {
        byte[] payload = utf8("{\"s\":" + payloadValue);

        assertThatThrownBy(() -> readString(payload))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + message.strip());
        assertThatThrownBy(() -> skipAll(utf8("{\"x\":" + payloadValue)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + message.strip());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        for (int c = 0; c < 0x20; c++) {
            byte[] payload = withBytes("{\"s\":\"a", String.format("%02x", c), "\"}");
            String message = SYNTAX + String.format("control character 0x%02x in a string must be escaped (at byte 7)", c);

            assertThatThrownBy(() -> readString(payload)).isInstanceOf(CorruptFrameException.class).hasMessage(message);
            assertThatThrownBy(() -> skipAll(payload)).isInstanceOf(CorruptFrameException.class).hasMessage(message);
        }
    }

    @Test
    void acceptsRawDeleteInStrings() throws Exception {
        assertThat(string("\"\u007f\"")).isEqualTo("\u007f");
    }

    @ParameterizedTest(name = "[{index}] U+{0}")
    @ValueSource(ints = {0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff})
    void decodesUtf8AtTheBoundariesOfEachLength(int codePoint) throws Exception {
        String text = "a" + Character.toString(codePoint) + "b";

        assertThat(readString(utf8("{\"s\":\"" + text + "\"}"))).isEqualTo(text);
        assertThat(readString(utf8("{\"s\":\"" + text + "\\n\"}"))).isEqualTo(text + "\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # The bytes follow {"s":"a, so a sequence starts at byte 7.
        80          | 7  | invalid UTF-8: byte 0x80 cannot start a character
        bf          | 7  | invalid UTF-8: byte 0xbf cannot start a character
        c0 80       | 7  | invalid UTF-8: byte 0xc0 cannot start a character
        c1 bf       | 7  | invalid UTF-8: byte 0xc1 cannot start a character
        e0 80 80    | 7  | invalid UTF-8: byte 0x80 at offset 1 of the sequence starting with byte 0xe0
        e0 9f bf    | 7  | invalid UTF-8: byte 0x9f at offset 1 of the sequence starting with byte 0xe0
        ed a0 80    | 7  | invalid UTF-8: byte 0xa0 at offset 1 of the sequence starting with byte 0xed
        ed bf bf    | 7  | invalid UTF-8: byte 0xbf at offset 1 of the sequence starting with byte 0xed
        f0 80 80 80 | 7  | invalid UTF-8: byte 0x80 at offset 1 of the sequence starting with byte 0xf0
        f0 8f bf bf | 7  | invalid UTF-8: byte 0x8f at offset 1 of the sequence starting with byte 0xf0
        f4 90 80 80 | 7  | invalid UTF-8: byte 0x90 at offset 1 of the sequence starting with byte 0xf4
        f5 80 80 80 | 7  | invalid UTF-8: byte 0xf5 cannot start a character
        fe          | 7  | invalid UTF-8: byte 0xfe cannot start a character
        ff          | 7  | invalid UTF-8: byte 0xff cannot start a character
        c3 41       | 7  | invalid UTF-8: byte 0x41 at offset 1 of the sequence starting with byte 0xc3
        c3          | 7  | invalid UTF-8: byte 0x22 at offset 1 of the sequence starting with byte 0xc3
        e4 b8       | 7  | invalid UTF-8: byte 0x22 at offset 2 of the sequence starting with byte 0xe4
        f0 9f 98    | 7  | invalid UTF-8: byte 0x22 at offset 3 of the sequence starting with byte 0xf0
        e4 b8 ad 80 | 10 | invalid UTF-8: byte 0x80 cannot start a character
        """)
    void rejectsInvalidUtf8InStrings(String hex, int at, String message) {
        String expected = SYNTAX + message + " (at byte " + at + ")";

        assertThatThrownBy(() -> readString(withBytes("{\"s\":\"a", hex, "\"}")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> skipAll(withBytes("{\"x\":\"a", hex, "\"}")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(expected);
    }

    @Test
    void rejectsUtf8SequenceCutOffByTheEndOfThePayload() {
        byte[] payload = withBytes("{\"s\":\"", "e4 b8", "");

        assertThatThrownBy(() -> readString(payload))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "invalid UTF-8: the sequence starting with byte 0xe4 is cut off by the end of input (at byte 6)");
    }

    @Test
    void rejectsInvalidUtf8InFieldNames() {
        assertThatThrownBy(() -> skipAll(withBytes("{\"", "ff", "\":1}")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(SYNTAX + "invalid UTF-8: byte 0xff cannot start a character (at byte 2)");
    }

    @Test
    void keepsTheCurrentValueForNullAsGoDoes() throws Exception {
        assertThat(readString(utf8("{\"s\":null}"))).isEqualTo("kept");
    }

    @Test
    void describesEachKindOfValueOfTheWrongType() {
        assertThatThrownBy(() -> string("{}"))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage(PREFIX + "field \"s\" must be a string, got an object");
        assertThatThrownBy(() -> string("false"))
                .hasMessage(PREFIX + "field \"s\" must be a string, got a boolean");
        assertThatThrownBy(() -> string("-1.5e3"))
                .hasMessage(PREFIX + "field \"s\" must be a string, got the number -1.5e3");
        assertThatThrownBy(() -> integer("[]", 0, 1))
                .hasMessage(PREFIX + "field \"s\" must be an integer, got an array");
    }

    @Test
    void reportsSyntaxErrorsBeforeTheWrongTypeWhereTheValueIsBroken() {
        assertThatThrownBy(() -> string("tru"))
                .hasMessage(SYNTAX + "unexpected character '}', expected 'true' (at byte 8)");
        assertThatThrownBy(() -> string("-"))
                .hasMessage(SYNTAX + "unexpected character '}', expected a digit (at byte 6)");
    }
}
