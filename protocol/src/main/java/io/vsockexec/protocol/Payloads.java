package io.vsockexec.protocol;

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
 * field and what was wrong: anything that is not one JSON value under a strict reading of RFC 8259
 * (see {@link JsonReader}), a top level that is not an object, a value of the wrong JSON type, a
 * number that is not an integer or is out of range for its Go type, and invalid or unpadded
 * base64. Go also accepts a byte array written as a JSON array of numbers, invalid UTF-8, and
 * nesting deeper than 1,000 levels (up to 10,000); {@code json.Marshal} never produces any of
 * them, and all are rejected here.
 *
 * <p>{@link JsonWriter} and {@link JsonReader} do the work, written for these few small payloads:
 * straight over byte arrays, with no library and nothing kept between calls. The agent starts in
 * small VMs and each run of the CLI is a fresh process, so first calls and calls on cold caches
 * are the ones that count: a JSON library's first use costs far more than the few classes here
 * (docs/PERFORMANCE.md has the measurements). The code avoids lambdas, pattern switches and
 * string concatenation on the success path, each of which costs milliseconds of bootstrap at
 * first use.
 */
public final class Payloads {
    private static final int SMALLEST_SIGNAL = 1;
    private static final int LARGEST_SIGNAL = 64;
    /** More than the names, quotes, colons, commas, brackets and numbers of any payload take. */
    private static final int STRUCTURE_BYTES = 128;

    private static final String[] EXEC_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "stdin", "user"};
    private static final String[] EXEC_TTY_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "rows", "cols", "user"};
    private static final String[] EXEC_RESPONSE_FIELDS = {"exit_code", "stdout", "stderr", "error"};

    private Payloads() {
    }

    // ---------------------------------------------------------------- ExecRequest

    /** The JSON of {@code request}: {@code command}, then {@code args}, {@code working_dir}, {@code env}, {@code stdin}, {@code user} if not empty. */
    public static byte[] encode(ExecRequest request) {
        JsonWriter out = startRequest(request.command(), request.args(), request.workingDir(), request.env(),
                base64Size(request.sharedStdin()) + request.user().length());
        writeBytes(out, "stdin", request.sharedStdin());
        writeString(out, "user", request.user());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of an {@link ExecRequest}. */
    public static ExecRequest decodeExecRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "ExecRequest");
        RequestFields request = new RequestFields();
        byte[] stdin = null;
        if (in.openObject()) {
            for (String field = in.nextField(EXEC_REQUEST_FIELDS); field != null; field = in.nextField(EXEC_REQUEST_FIELDS)) {
                if (field.equals("stdin")) {
                    stdin = in.base64(field);
                } else {
                    request.read(in, field);
                }
            }
            in.finish();
        }
        return new ExecRequest(request.command, request.args, request.workingDir, request.env, stdin, request.user);
    }

    /**
     * A writer, sized for the request, holding the fields both request structs begin with in Go:
     * {@code command}, then {@code args}, {@code working_dir}, {@code env} if not empty.
     *
     * @param moreBytes what the caller's remaining fields add to the estimate
     */
    private static JsonWriter startRequest(String command, List<String> args, String workingDir,
            Map<String, String> env, long moreBytes) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + command.length() + sizeOf(args) + workingDir.length()
                + sizeOf(env) + moreBytes);
        out.startObject();
        out.name("command");
        out.string(command);
        writeStrings(out, "args", args);
        writeString(out, "working_dir", workingDir);
        writeMap(out, "env", env);
        return out;
    }

    // ---------------------------------------------------------------- ExecTtyRequest

    /** The JSON of {@code request}: {@code command}, {@code args}, {@code working_dir}, {@code env}, {@code rows}, {@code cols}, {@code user}; {@code rows} and {@code cols} always. */
    public static byte[] encode(ExecTtyRequest request) {
        JsonWriter out = startRequest(request.command(), request.args(), request.workingDir(), request.env(),
                request.user().length());
        out.name("rows");
        out.number(request.rows());
        out.name("cols");
        out.number(request.cols());
        writeString(out, "user", request.user());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of an {@link ExecTtyRequest}; {@code rows} and {@code cols} must be integers 0 to 65535. */
    public static ExecTtyRequest decodeExecTtyRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "ExecTtyRequest");
        RequestFields request = new RequestFields();
        long rows = 0;
        long cols = 0;
        if (in.openObject()) {
            for (String field = in.nextField(EXEC_TTY_REQUEST_FIELDS); field != null; field = in.nextField(EXEC_TTY_REQUEST_FIELDS)) {
                switch (field) {
                    case "rows" -> rows = in.integer(field, 0, Values.LARGEST_U16, rows);
                    case "cols" -> cols = in.integer(field, 0, Values.LARGEST_U16, cols);
                    default -> request.read(in, field);
                }
            }
            in.finish();
        }
        return new ExecTtyRequest(request.command, request.args, request.workingDir, request.env, (int) rows, (int) cols,
                request.user);
    }

    // ---------------------------------------------------------------- ExecResponse

    /** The JSON of {@code response}: {@code exit_code} always, then {@code stdout}, {@code stderr}, {@code error} if not empty. */
    public static byte[] encode(ExecResponse response) {
        long estimate = STRUCTURE_BYTES + base64Size(response.sharedStdout()) + base64Size(response.sharedStderr())
                + response.error().length();
        JsonWriter out = new JsonWriter(estimate);
        out.startObject();
        out.name("exit_code");
        out.number(response.exitCode());
        writeBytes(out, "stdout", response.sharedStdout());
        writeBytes(out, "stderr", response.sharedStderr());
        writeString(out, "error", response.error());
        out.endObject();
        return out.toByteArray();
    }

    /**
     * The JSON of an {@link ExecResponse} whose output is held elsewhere than in arrays, written
     * as it goes out: the same bytes as {@link #encode(ExecResponse)} gives for the same values,
     * its length known before a byte of output is encoded. For an agent's buffered reply
     * ({@link FrameWriter#write(MessageType, ByteSource)}), which then holds its output once and
     * a small buffer more, rather than the output, its base64 and the frame at once.
     *
     * @param stdout written once, while the payload is written
     * @param stderr written once, after {@code stdout}
     * @param error the reply's error, or empty
     */
    public static ByteSource execResult(int exitCode, ByteSource stdout, ByteSource stderr, String error) {
        return new ExecResultPayload(exitCode, stdout, stderr, Values.optional(error));
    }

    /**
     * Reads the JSON of an {@link ExecResponse}, including the Go agent's form
     * {@code {"exit_code":0,"stdout":null,"stderr":null,"error":""}}. {@code exit_code} must be an
     * integer that fits a Java {@code int} (Go's is 64 bits, but exit codes never need more).
     */
    public static ExecResponse decodeExecResponse(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "ExecResponse");
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

    private static void writeString(JsonWriter out, String field, String value) {
        if (!value.isEmpty()) {
            out.name(field);
            out.string(value);
        }
    }

    private static void writeStrings(JsonWriter out, String field, List<String> values) {
        if (!values.isEmpty()) {
            out.name(field);
            out.startArray();
            for (String value : values) {
                out.string(value);
            }
            out.endArray();
        }
    }

    /** Writes a map in its iteration order; the records keep their maps sorted as Go sorts keys. */
    private static void writeMap(JsonWriter out, String field, Map<String, String> map) {
        if (!map.isEmpty()) {
            out.name(field);
            out.startObject();
            for (Map.Entry<String, String> e : map.entrySet()) {
                out.name(e.getKey());
                out.string(e.getValue());
            }
            out.endObject();
        }
    }

    private static void writeBytes(JsonWriter out, String field, byte[] value) {
        if (value.length > 0) {
            out.name(field);
            out.base64(value);
        }
    }

    // ---------------------------------------------------------------- size estimates
    //
    // One byte per character and three for the quotes and comma of each string, which is what plain
    // ASCII takes, plus STRUCTURE_BYTES: a usual payload's array is allocated once, with room to
    // spare, and copied once to its exact size. Escapes and non-ASCII make the writer grow it.

    private static long sizeOf(List<String> values) {
        long size = 0;
        for (String value : values) {
            size += value.length() + 3;
        }
        return size;
    }

    private static long sizeOf(Map<String, String> map) {
        long size = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            size += e.getKey().length() + e.getValue().length() + 6;
        }
        return size;
    }

    private static long base64Size(byte[] value) {
        return (value.length + 2L) / 3 * 4;
    }

    /**
     * The fields both request structs have, as a decoder reads them: the counterpart of
     * {@link #startRequest} for decoding.
     */
    private static final class RequestFields {
        String command = "";
        List<String> args;
        String workingDir = "";
        Map<String, String> env;
        String user = "";

        /** Reads {@code field} if it is one of the shared ones; skips the value of any other. */
        void read(JsonReader in, String field) throws CorruptFrameException {
            switch (field) {
                case "command" -> command = in.string(field, command);
                case "args" -> args = in.strings(field);
                case "working_dir" -> workingDir = in.string(field, workingDir);
                case "env" -> env = in.stringMap(field, env);
                case "user" -> user = in.string(field, user);
                default -> in.skipValue();
            }
        }
    }
}
