package io.vsockexec.protocol;

import static io.vsockexec.protocol.JsonFields.STRUCTURE_BYTES;
import static io.vsockexec.protocol.JsonFields.base64Size;
import static io.vsockexec.protocol.JsonFields.sizeOf;
import static io.vsockexec.protocol.JsonFields.writeBytes;
import static io.vsockexec.protocol.JsonFields.writeMap;
import static io.vsockexec.protocol.JsonFields.writeString;
import static io.vsockexec.protocol.JsonFields.writeStrings;

import java.util.List;
import java.util.Map;

/**
 * The JSON of the exec family: {@link ExecRequest}, {@link ExecTtyRequest}, {@link ExecResponse},
 * written and read as the {@linkplain io.vsockexec.protocol package} describes, and an
 * {@code ExecResponse} streamed from output held elsewhere ({@link #execResult}).
 */
public final class ExecPayloads {
    private static final String[] EXEC_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "stdin", "user", "argv"};
    private static final String[] EXEC_TTY_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "rows", "cols", "user",
        "argv"};
    private static final String[] EXEC_RESPONSE_FIELDS = {"exit_code", "stdout", "stderr", "error"};

    private ExecPayloads() {}

    /**
     * The JSON of {@code request}: {@code command}, then {@code args}, {@code working_dir},
     * {@code env}, {@code stdin}, {@code user} if not empty, as Go writes its struct, and last the
     * extension {@code argv} if not empty.
     */
    public static byte[] encode(ExecRequest request) {
        JsonWriter out = startRequest(request.command(), request.args(), request.workingDir(), request.env(),
                base64Size(request.stdin().shared()) + request.user().length() + sizeOf(request.argv()));
        writeBytes(out, "stdin", request.stdin().shared());
        writeString(out, "user", request.user());
        writeStrings(out, "argv", request.argv());
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
        return new ExecRequest(request.command, request.args, request.workingDir, request.env, Bytes.adopt(stdin),
                request.user, request.argv);
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

    /**
     * The JSON of {@code request}: {@code command}, {@code args}, {@code working_dir}, {@code env},
     * {@code rows}, {@code cols}, {@code user}, {@code argv}; {@code rows} and {@code cols} always,
     * the others if not empty.
     */
    public static byte[] encode(ExecTtyRequest request) {
        JsonWriter out = startRequest(request.command(), request.args(), request.workingDir(), request.env(),
                request.user().length() + sizeOf(request.argv()));
        out.name("rows");
        out.number(request.rows());
        out.name("cols");
        out.number(request.cols());
        writeString(out, "user", request.user());
        writeStrings(out, "argv", request.argv());
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
                request.user, request.argv);
    }

    /** The JSON of {@code response}: {@code exit_code} always, then {@code stdout}, {@code stderr}, {@code error} if not empty. */
    public static byte[] encode(ExecResponse response) {
        long estimate = STRUCTURE_BYTES + base64Size(response.stdout().shared()) + base64Size(response.stderr().shared())
                + response.error().length();
        JsonWriter out = new JsonWriter(estimate);
        out.startObject();
        out.name("exit_code");
        out.number(response.exitCode());
        writeBytes(out, "stdout", response.stdout().shared());
        writeBytes(out, "stderr", response.stderr().shared());
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
        return new ExecResponse((int) exitCode, Bytes.adopt(stdout), Bytes.adopt(stderr), error);
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
        List<String> argv;

        /** Reads {@code field} if it is one of the shared ones; skips the value of any other. */
        void read(JsonReader in, String field) throws CorruptFrameException {
            switch (field) {
                case "command" -> command = in.string(field, command);
                case "args" -> args = in.strings(field);
                case "working_dir" -> workingDir = in.string(field, workingDir);
                case "env" -> env = in.stringMap(field, env);
                case "user" -> user = in.string(field, user);
                case "argv" -> argv = in.strings(field);
                default -> in.skipValue();
            }
        }
    }
}
