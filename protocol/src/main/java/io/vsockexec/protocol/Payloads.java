package io.vsockexec.protocol;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between payload records and payload bytes, for every payload that is not raw
 * bytes: the JSON of {@link ExecRequest}, {@link ExecTtyRequest} and {@link ExecResponse}, and the
 * fixed binary forms of {@link WindowSize}, signal numbers and exit codes.
 *
 * <h2>JSON, byte for byte as Go's {@code encoding/json}</h2>
 * Encoding produces exactly what {@code json.Marshal} produces for the structs of the Go
 * reference's {@code pkg/vsock/vsock.go}: fields in declaration order, no whitespace, empty
 * {@code omitempty} fields left out, map keys sorted by their UTF-8 bytes, byte arrays as standard
 * base64 with padding, and Go's string escaping: {@code "} and {@code \} with a backslash;
 * {@code \b \f \n \r \t} as such (Go 1.22 and later); other control characters and {@code < > &}
 * as {@code \}{@code u00XX} in lowercase hex; U+2028 and U+2029 as {@code \}{@code u2028} and
 * {@code \}{@code u2029}; everything else, DEL and all non-ASCII included, as plain UTF-8. Records
 * have already replaced unpaired surrogates by U+FFFD, as Go replaces invalid UTF-8.
 *
 * <p>Decoding accepts what Go's {@code json.Unmarshal} accepts for those structs: fields absent or
 * {@code null} (a null string or number keeps its earlier value, a null list, map or byte array
 * becomes empty), unknown fields with any value, field names matched exactly or else ignoring
 * case, a repeated field (the last wins; a repeated map is merged), a top-level {@code null}
 * (every field empty). It rejects, with a {@link CorruptFrameException} naming the payload, the
 * field and what was wrong: anything that is not one JSON value, a top level that is not an object,
 * a value of the wrong JSON type, a number that is not an integer or is out of range for its Go
 * type, and invalid or unpadded base64. Go also accepts a byte array written as a JSON array of
 * numbers and invalid UTF-8; neither is ever produced by {@code json.Marshal}, and both are
 * rejected here.
 *
 * <p>Jackson's streaming API does the work, with no data binding: the agent starts in small VMs.
 * <b>First-call cost</b>, measured on JDK 25 on 2 shared cores: the first encode and decode of an
 * {@code ExecRequest} in a fresh JVM take about 50 ms together (47 to 68 ms over six runs): about
 * 30 ms for the first encode, mostly loading Jackson's factory and generator, and about 20 ms for
 * the first decode, mostly loading and verifying Jackson's UTF-8 parser. Later calls take tens of
 * microseconds. A JDK 25 AOT cache ({@code -XX:AOTCacheOutput} once, {@code -XX:AOTCache} at run
 * time) brought the pair down to 12 to 20 ms in the same test. The code avoids lambdas, pattern
 * switches and string concatenation on the success path, each of which costs milliseconds of
 * bootstrap at first use.
 */
public final class Payloads {
    /** Standard alphabet, {@code =} padding, no line breaks: Go's {@code base64.StdEncoding}. */
    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS;
    private static final int SMALLEST_SIGNAL = 1;
    private static final int LARGEST_SIGNAL = 64;

    /**
     * Frames already bound payloads (16 MiB by default), so Jackson's own limits on the length of
     * a string (20 million characters) or a field name (50,000) would only reject a payload that
     * this class itself wrote, such as one with a long environment variable name or a larger
     * configured frame limit.
     */
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .characterEscapes(new GoEscapes())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private static final String[] EXEC_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "stdin", "user"};
    private static final String[] EXEC_TTY_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "rows", "cols", "user"};
    private static final String[] EXEC_RESPONSE_FIELDS = {"exit_code", "stdout", "stderr", "error"};

    private Payloads() {
    }

    // ---------------------------------------------------------------- ExecRequest

    /** The JSON of {@code request}: {@code command}, then {@code args}, {@code working_dir}, {@code env}, {@code stdin}, {@code user} if not empty. */
    public static byte[] encode(ExecRequest request) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("command", request.command());
            writeStrings(g, "args", request.args());
            writeString(g, "working_dir", request.workingDir());
            writeMap(g, "env", request.env());
            writeBytes(g, "stdin", request.sharedStdin());
            writeString(g, "user", request.user());
            g.writeEndObject();
        } catch (IOException e) {
            throw cannotEncode(e);
        }
        return out.toByteArray();
    }

    /** Reads the JSON of an {@link ExecRequest}. */
    public static ExecRequest decodeExecRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "ExecRequest");
        try (in) {
            String command = "";
            List<String> args = null;
            String workingDir = "";
            Map<String, String> env = null;
            byte[] stdin = null;
            String user = "";
            if (in.openObject()) {
                for (String field = in.nextField(EXEC_REQUEST_FIELDS); field != null; field = in.nextField(EXEC_REQUEST_FIELDS)) {
                    switch (field) {
                        case "command" -> command = in.string(field, command);
                        case "args" -> args = in.strings(field);
                        case "working_dir" -> workingDir = in.string(field, workingDir);
                        case "env" -> env = in.stringMap(field, env);
                        case "stdin" -> stdin = in.base64(field);
                        case "user" -> user = in.string(field, user);
                        default -> in.skipValue();
                    }
                }
                in.finish();
            }
            return new ExecRequest(command, args, workingDir, env, stdin, user);
        } catch (IOException e) {
            throw in.notJson(e);
        }
    }

    // ---------------------------------------------------------------- ExecTtyRequest

    /** The JSON of {@code request}: {@code command}, {@code args}, {@code working_dir}, {@code env}, {@code rows}, {@code cols}, {@code user}; {@code rows} and {@code cols} always. */
    public static byte[] encode(ExecTtyRequest request) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("command", request.command());
            writeStrings(g, "args", request.args());
            writeString(g, "working_dir", request.workingDir());
            writeMap(g, "env", request.env());
            g.writeNumberField("rows", request.rows());
            g.writeNumberField("cols", request.cols());
            writeString(g, "user", request.user());
            g.writeEndObject();
        } catch (IOException e) {
            throw cannotEncode(e);
        }
        return out.toByteArray();
    }

    /** Reads the JSON of an {@link ExecTtyRequest}; {@code rows} and {@code cols} must be integers 0 to 65535. */
    public static ExecTtyRequest decodeExecTtyRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "ExecTtyRequest");
        try (in) {
            String command = "";
            List<String> args = null;
            String workingDir = "";
            Map<String, String> env = null;
            long rows = 0;
            long cols = 0;
            String user = "";
            if (in.openObject()) {
                for (String field = in.nextField(EXEC_TTY_REQUEST_FIELDS); field != null; field = in.nextField(EXEC_TTY_REQUEST_FIELDS)) {
                    switch (field) {
                        case "command" -> command = in.string(field, command);
                        case "args" -> args = in.strings(field);
                        case "working_dir" -> workingDir = in.string(field, workingDir);
                        case "env" -> env = in.stringMap(field, env);
                        case "rows" -> rows = in.integer(field, 0, Values.LARGEST_U16, rows);
                        case "cols" -> cols = in.integer(field, 0, Values.LARGEST_U16, cols);
                        case "user" -> user = in.string(field, user);
                        default -> in.skipValue();
                    }
                }
                in.finish();
            }
            return new ExecTtyRequest(command, args, workingDir, env, (int) rows, (int) cols, user);
        } catch (IOException e) {
            throw in.notJson(e);
        }
    }

    // ---------------------------------------------------------------- ExecResponse

    /** The JSON of {@code response}: {@code exit_code} always, then {@code stdout}, {@code stderr}, {@code error} if not empty. */
    public static byte[] encode(ExecResponse response) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("exit_code", response.exitCode());
            writeBytes(g, "stdout", response.sharedStdout());
            writeBytes(g, "stderr", response.sharedStderr());
            writeString(g, "error", response.error());
            g.writeEndObject();
        } catch (IOException e) {
            throw cannotEncode(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads the JSON of an {@link ExecResponse}, including the Go agent's form
     * {@code {"exit_code":0,"stdout":null,"stderr":null,"error":""}}. {@code exit_code} must be an
     * integer that fits a Java {@code int} (Go's is 64 bits, but exit codes never need more).
     */
    public static ExecResponse decodeExecResponse(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "ExecResponse");
        try (in) {
            long exitCode = 0;
            byte[] stdout = null;
            byte[] stderr = null;
            String error = "";
            if (in.openObject()) {
                for (String field = in.nextField(EXEC_RESPONSE_FIELDS); field != null; field = in.nextField(EXEC_RESPONSE_FIELDS)) {
                    switch (field) {
                        case "exit_code" -> exitCode = in.integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, exitCode);
                        case "stdout" -> stdout = in.base64(field);
                        case "stderr" -> stderr = in.base64(field);
                        case "error" -> error = in.string(field, error);
                        default -> in.skipValue();
                    }
                }
                in.finish();
            }
            return new ExecResponse((int) exitCode, stdout, stderr, error);
        } catch (IOException e) {
            throw in.notJson(e);
        }
    }

    // ---------------------------------------------------------------- binary payloads

    /** The Resize payload: 4 bytes, rows then columns, each unsigned 16-bit big-endian. */
    public static byte[] encode(WindowSize size) {
        return new byte[] {
            (byte) (size.rows() >>> 8), (byte) size.rows(), (byte) (size.cols() >>> 8), (byte) size.cols()
        };
    }

    /** Reads a Resize payload, which must be exactly 4 bytes. */
    public static WindowSize decodeWindowSize(byte[] payload) throws CorruptFrameException {
        checkLength(payload, 4, "Resize");
        return new WindowSize(u16(payload, 0), u16(payload, 2));
    }

    /**
     * The Signal payload: 1 byte, the signal number.
     *
     * @throws IllegalArgumentException if {@code signal} is outside 1 to 64
     */
    public static byte[] encodeSignal(int signal) {
        return new byte[] {(byte) checkSignal(signal)};
    }

    /** Reads a Signal payload, which must be exactly 1 byte holding 1 to 64. */
    public static int decodeSignal(byte[] payload) throws CorruptFrameException {
        checkLength(payload, 1, "Signal");
        try {
            return checkSignal(Byte.toUnsignedInt(payload[0]));
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("invalid Signal payload: " + e.getMessage());
        }
    }

    /** The Exit payload: 4 bytes, the exit code as a signed 32-bit big-endian number (-1 is {@code ff ff ff ff}). */
    public static byte[] encodeExitCode(int exitCode) {
        return new byte[] {(byte) (exitCode >>> 24), (byte) (exitCode >>> 16), (byte) (exitCode >>> 8), (byte) exitCode};
    }

    /** Reads an Exit payload, which must be exactly 4 bytes; {@code ff ff ff ff} is -1, as the Go agent means it. */
    public static int decodeExitCode(byte[] payload) throws CorruptFrameException {
        checkLength(payload, 4, "Exit");
        return (u16(payload, 0) << 16) | u16(payload, 2);
    }

    /** {@code signal} if it is a valid signal number, 1 to 64. */
    static int checkSignal(int signal) {
        if (signal < SMALLEST_SIGNAL || signal > LARGEST_SIGNAL) {
            throw new IllegalArgumentException(
                    "signal number must be between " + SMALLEST_SIGNAL + " and " + LARGEST_SIGNAL + ", got " + signal);
        }
        return signal;
    }

    private static void checkLength(byte[] payload, int expected, String what) throws CorruptFrameException {
        if (payload.length != expected) {
            throw new CorruptFrameException(
                    "invalid " + what + " payload: must be " + expected + " bytes, got " + payload.length);
        }
    }

    private static int u16(byte[] b, int offset) {
        return (Byte.toUnsignedInt(b[offset]) << 8) | Byte.toUnsignedInt(b[offset + 1]);
    }

    // ---------------------------------------------------------------- writing helpers (omitempty)

    private static void writeString(JsonGenerator g, String field, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        if (!values.isEmpty()) {
            g.writeArrayFieldStart(field);
            for (String value : values) {
                g.writeString(value);
            }
            g.writeEndArray();
        }
    }

    /** Writes a map in its iteration order; the records keep their maps sorted as Go sorts keys. */
    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        if (!map.isEmpty()) {
            g.writeObjectFieldStart(field);
            for (Map.Entry<String, String> e : map.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
    }

    private static void writeBytes(JsonGenerator g, String field, byte[] value) throws IOException {
        if (value.length > 0) {
            g.writeFieldName(field);
            g.writeBinary(BASE64, value, 0, value.length);
        }
    }

    private static UncheckedIOException cannotEncode(IOException e) {
        // The generator writes to memory, so this means a bug, not bad input.
        return new UncheckedIOException("cannot encode payload as JSON", e);
    }

    // ---------------------------------------------------------------- reading

    /** A parser over one payload that knows the payload's name for its error messages. */
    private static final class JsonReader implements AutoCloseable {
        private final JsonParser p;
        private final String payloadName;

        JsonReader(byte[] payload, String payloadName) throws CorruptFrameException {
            this.payloadName = payloadName;
            try {
                this.p = JSON.createParser(payload);
            } catch (IOException e) {
                throw notJson(e);
            }
        }

        /** True at the start of an object; false for a top-level {@code null}, which Go reads as all fields empty. */
        boolean openObject() throws IOException {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                return true;
            }
            if (t == null) {
                throw corrupt("the payload is empty, expected a JSON object");
            }
            if (t != JsonToken.VALUE_NULL) {
                throw corrupt("expected a JSON object, got " + describeCurrent());
            }
            finish();
            return false;
        }

        /**
         * Moves to the next field's value and returns the field's name as spelled in
         * {@code known} (matched exactly, or else ignoring case, as Go does), {@code ""} for an
         * unknown field, or null at the end of the object.
         */
        String nextField(String[] known) throws IOException {
            if (p.nextToken() != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            p.nextToken();
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

        /** Checks that nothing but whitespace follows the top-level value. */
        void finish() throws IOException {
            if (p.nextToken() != null) {
                throw corrupt("unexpected data after the JSON value at byte " + p.currentTokenLocation().getByteOffset());
            }
        }

        void skipValue() throws IOException {
            p.skipChildren();
        }

        /** A string; {@code null} keeps {@code current}, as Go leaves the field unchanged. */
        String string(String field, String current) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> p.getText();
                case VALUE_NULL -> current;
                default -> throw wrongType(field, "a string");
            };
        }

        /** An array of strings (a null element is empty); {@code null} is an empty list. */
        List<String> strings(String field) throws IOException {
            List<String> values = new ArrayList<>();
            switch (p.currentToken()) {
                case VALUE_NULL -> {
                    return values;
                }
                case START_ARRAY -> {
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                            throw wrongType(field + "[" + values.size() + "]", "a string");
                        }
                        values.add(t == JsonToken.VALUE_NULL ? "" : p.getText());
                    }
                    return values;
                }
                default -> throw wrongType(field, "an array of strings");
            }
        }

        /**
         * An object of strings (a null value is empty), added to {@code current} as Go merges a
         * repeated map field; {@code null} is an empty map.
         */
        Map<String, String> stringMap(String field, Map<String, String> current) throws IOException {
            Map<String, String> map = current == null ? new HashMap<>() : current;
            switch (p.currentToken()) {
                case VALUE_NULL -> {
                    return new HashMap<>();
                }
                case START_OBJECT -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken t = p.nextToken();
                        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                            throw wrongType(field + "[\"" + key + "\"]", "a string");
                        }
                        map.put(key, t == JsonToken.VALUE_NULL ? "" : p.getText());
                    }
                    return map;
                }
                default -> throw wrongType(field, "an object of strings");
            }
        }

        /** A base64 string with padding, as Go writes {@code []byte}; {@code null} is empty. */
        byte[] base64(String field) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NULL -> null;
                case VALUE_STRING -> decodeBase64(field, p.getText());
                default -> throw wrongType(field, "a base64 string");
            };
        }

        /** An integer in {@code min..max}; {@code null} keeps {@code current}, as Go leaves the field unchanged. */
        long integer(String field, long min, long max, long current) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return current;
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(field, "an integer");
            }
            boolean fitsLong = p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
            long value = fitsLong ? p.getLongValue() : 0;
            if (!fitsLong || value < min || value > max) {
                throw corrupt("field \"" + field + "\" must be between " + min + " and " + max + ", got " + p.getText());
            }
            return value;
        }

        /**
         * Go's decoder skips CR and LF inside base64 and requires padding; Jackson's own base64
         * reader is more lenient (it accepts padding in the middle), so the JDK's strict decoder
         * does the work.
         */
        private byte[] decodeBase64(String field, String text) throws CorruptFrameException {
            String base64 = text.replace("\r", "").replace("\n", ""); // the same string when neither occurs
            if (base64.length() % 4 != 0) {
                throw corrupt("field \"" + field + "\" is not padded base64: its length " + base64.length()
                        + " is not a multiple of 4");
            }
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw corrupt("field \"" + field + "\" is not valid base64: " + e.getMessage());
            }
        }

        private CorruptFrameException wrongType(String field, String expected) throws IOException {
            return corrupt("field \"" + field + "\" must be " + expected + ", got " + describeCurrent());
        }

        private String describeCurrent() throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> String.valueOf(p.currentToken());
            };
        }

        private CorruptFrameException corrupt(String detail) {
            return new CorruptFrameException("invalid " + payloadName + " payload: " + detail);
        }

        /** Any other failure is the parser's: the bytes are not one well-formed JSON value (or break a parser limit). */
        CorruptFrameException notJson(IOException e) {
            if (e instanceof CorruptFrameException c) {
                return c;
            }
            if (e instanceof JsonProcessingException j) {
                return new CorruptFrameException("invalid " + payloadName + " payload: not valid JSON: "
                        + j.getOriginalMessage() + " (at byte " + j.getLocation().getByteOffset() + ")", e);
            }
            // Reading a byte array does not fail otherwise.
            throw new UncheckedIOException(e);
        }

        @Override
        public void close() throws IOException {
            p.close();
        }
    }

    // ---------------------------------------------------------------- Go's string escaping

    /**
     * Go's {@code encoding/json} string escaping, as Jackson {@link CharacterEscapes}. Every escape
     * is spelled out here rather than left to Jackson's generic {@code \}{@code uXXXX}, whose hex
     * case is a Jackson setting; Go writes lowercase.
     */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
        private static final char[] HEX = "0123456789abcdef".toCharArray();

        private final int[] asciiCodes = new int[128];
        private final SerializedString[] asciiSequences = new SerializedString[128];

        GoEscapes() {
            for (int c = 0; c < 0x20; c++) {
                custom(c);
            }
            custom('<');
            custom('>');
            custom('&');
            // The two-character escapes: Jackson writes a backslash and the given character.
            asciiCodes['"'] = '"';
            asciiCodes['\\'] = '\\';
            asciiCodes['\b'] = 'b';
            asciiCodes['\f'] = 'f';
            asciiCodes['\n'] = 'n';
            asciiCodes['\r'] = 'r';
            asciiCodes['\t'] = 't';
        }

        private void custom(int c) {
            asciiCodes[c] = ESCAPE_CUSTOM;
            // By hand: String.format or + would cost milliseconds of first-use set-up at start-up.
            asciiSequences[c] = new SerializedString(new String(new char[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xF]}));
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiCodes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch < asciiSequences.length) {
                return asciiSequences[ch];
            }
            return ch == '\u2028' ? LINE_SEPARATOR : ch == '\u2029' ? PARAGRAPH_SEPARATOR : null;
        }
    }
}
