package io.vsockexec.protocol;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between payload records and payload bytes, for every payload that is not raw
 * bytes: the JSON of {@link ExecRequest}, {@link ExecTtyRequest}, {@link ExecResponse},
 * {@link PortForwardRequest}, {@link WriteFileRequest}, {@link FileRequest} and {@link FileResponse}
 * (the copy extension's: {@link CopyPayloads}), and the fixed binary forms of {@link WindowSize},
 * signal numbers and exit codes.
 *
 * <h2>Payloads that carry a file</h2>
 * A WriteFile request and a FileResult may carry 16 MiB of content, 22 MB in base64. Besides
 * their whole forms, they have streamed ones, so that neither side need hold such a payload:
 * {@link #writeFileRequest} and {@link #fileResultWithContent} give a {@link StreamedPayload}
 * whose length is known up front and whose content is encoded as it goes out;
 * {@link #decodeWriteFile} and {@link #decodeFileResult} decode the content into a stream as it
 * arrives ({@link JsonStreamReader}). Both forms produce and accept exactly the same bytes.
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
    static final int STRUCTURE_BYTES = 128;

    private static final String[] EXEC_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "stdin", "user", "argv"};
    private static final String[] EXEC_TTY_REQUEST_FIELDS = {"command", "args", "working_dir", "env", "rows", "cols", "user",
        "argv"};
    private static final String[] EXEC_RESPONSE_FIELDS = {"exit_code", "stdout", "stderr", "error"};
    private static final String[] PORT_FORWARD_FIELDS = {"host", "port"};
    static final String[] WRITE_FILE_FIELDS = {"path", "content", "mode"};
    private static final String[] FILE_REQUEST_FIELDS = {"path"};
    static final String[] FILE_RESPONSE_FIELDS = {"content", "files", "error"};
    private static final String[] FILE_INFO_FIELDS = {"name", "size", "mode", "is_dir"};

    private Payloads() {
    }

    // ---------------------------------------------------------------- ExecRequest

    /**
     * The JSON of {@code request}: {@code command}, then {@code args}, {@code working_dir},
     * {@code env}, {@code stdin}, {@code user} if not empty, as Go writes its struct, and last the
     * extension {@code argv} if not empty.
     */
    public static byte[] encode(ExecRequest request) {
        JsonWriter out = startRequest(request.command(), request.args(), request.workingDir(), request.env(),
                base64Size(request.sharedStdin()) + request.user().length() + sizeOf(request.argv()));
        writeBytes(out, "stdin", request.sharedStdin());
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
        return new ExecRequest(request.command, request.args, request.workingDir, request.env, stdin, request.user,
                request.argv);
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

    // ---------------------------------------------------------------- PortForwardRequest

    /** The JSON of {@code request}: {@code host} if not empty, then {@code port} always. */
    public static byte[] encode(PortForwardRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.host().length());
        out.startObject();
        writeString(out, "host", request.host());
        out.name("port");
        out.number(request.port());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link PortForwardRequest}; {@code port} must be an integer 0 to 65535. */
    public static PortForwardRequest decodePortForwardRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "PortForwardRequest");
        String host = "";
        long port = 0;
        if (in.openObject()) {
            for (String field = in.nextField(PORT_FORWARD_FIELDS); field != null; field = in.nextField(PORT_FORWARD_FIELDS)) {
                switch (field) {
                    case "host" -> host = in.string(field, host);
                    case "port" -> port = in.integer(field, 0, Values.LARGEST_U16, port);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new PortForwardRequest(host, (int) port);
    }

    // ---------------------------------------------------------------- WriteFileRequest

    /**
     * The JSON of {@code request}: {@code path}, {@code content}, {@code mode}, each always (an
     * empty content is {@code ""}; Go writes a nil one as {@code null}, which decodes the same).
     * For a large file, {@link #writeFileRequest} streams the content instead.
     */
    public static byte[] encode(WriteFileRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.path().length() + base64Size(request.sharedContent()));
        out.startObject();
        out.name("path");
        out.string(request.path());
        out.name("content");
        out.base64(request.sharedContent());
        out.name("mode");
        out.number(request.mode());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link WriteFileRequest} held whole; {@link #decodeWriteFile} reads one as it arrives. */
    public static WriteFileRequest decodeWriteFileRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "WriteFileRequest");
        String path = "";
        byte[] content = null;
        long mode = 0;
        if (in.openObject()) {
            for (String field = in.nextField(WRITE_FILE_FIELDS); field != null; field = in.nextField(WRITE_FILE_FIELDS)) {
                switch (field) {
                    case "path" -> path = in.string(field, path);
                    case "content" -> content = in.base64(field);
                    case "mode" -> mode = in.integer(field, 0, GoFileMode.LARGEST, mode);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new WriteFileRequest(path, content, mode);
    }

    /**
     * A WriteFile request whose content, {@code contentLength} bytes, is streamed into the frame
     * as base64 ({@link StreamedPayload#writeTo}); its JSON is that of {@link #encode(WriteFileRequest)}.
     *
     * @throws IllegalArgumentException if {@code mode} does not fit 32 bits or the length is negative
     */
    public static StreamedPayload writeFileRequest(String path, long contentLength, long mode) {
        GoFileMode.checkU32(mode, "mode");
        JsonWriter head = new JsonWriter(STRUCTURE_BYTES + path.length());
        head.startObject();
        head.name("path");
        head.string(Values.required(path, "path"));
        head.name("content");
        JsonWriter tail = new JsonWriter(STRUCTURE_BYTES);
        tail.name("mode");
        tail.number(mode);
        tail.endObject();
        return new StreamedPayload(quoteOpened(head), contentLength, quoteClosed(tail));
    }

    /**
     * Reads a WriteFile request as it arrives, without holding its content: {@code path} and
     * {@code mode} as values, {@code content} decoded from base64 straight into the stream that
     * {@code content} opens for it (given the path read so far, empty if {@code content} comes
     * first). Fields may come in any order, as in {@link #decodeWriteFileRequest}; a repeated
     * {@code content} opens a new stream, which replaces the earlier one, and {@code null} opens
     * one and writes nothing to it.
     *
     * @param payload the frame's payload, to its end ({@link FrameReader#payload})
     * @return the request with an empty content
     * @throws CorruptFrameException as {@link #decodeWriteFileRequest}, and for a value other than
     *     {@code content} of more than {@value JsonStreamReader#VALUE_LIMIT} bytes
     * @throws IOException if {@code payload} or the content's stream fails
     */
    public static WriteFileRequest decodeWriteFile(InputStream payload, ContentStreams content) throws IOException {
        JsonStreamReader in = new JsonStreamReader(payload, "WriteFileRequest");
        String path = "";
        long mode = 0;
        if (in.openObject()) {
            for (String field = in.nextField(WRITE_FILE_FIELDS); field != null; field = in.nextField(WRITE_FILE_FIELDS)) {
                switch (field) {
                    case "path" -> {
                        JsonReader value = in.value(field);
                        path = value.string(field, path);
                        value.finish();
                    }
                    case "content" -> in.base64(field, content.open(path));
                    case "mode" -> {
                        JsonReader value = in.value(field);
                        mode = value.integer(field, 0, GoFileMode.LARGEST, mode);
                        value.finish();
                    }
                    default -> in.value(field).skipValue();
                }
            }
        }
        in.finish();
        return new WriteFileRequest(path, null, mode);
    }

    /** Where a streamed {@code content} goes: {@link #decodeWriteFile} opens one stream per {@code content} field. */
    @FunctionalInterface
    public interface ContentStreams {
        /**
         * A stream for the content that starts now, closed by the decoder when the content ends.
         *
         * @param pathSoFar the {@code path} read so far, empty if none came yet
         */
        OutputStream open(String pathSoFar) throws IOException;
    }

    // ---------------------------------------------------------------- ReadFileRequest, ListFilesRequest

    /** The JSON of {@code request}: {@code {"path":...}}, the path always. */
    public static byte[] encode(FileRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.path().length());
        out.startObject();
        out.name("path");
        out.string(request.path());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a ReadFile request. */
    public static FileRequest decodeReadFileRequest(byte[] payload) throws CorruptFrameException {
        return decodeFileRequest(payload, "ReadFileRequest");
    }

    /** Reads the JSON of a ListFiles request. */
    public static FileRequest decodeListFilesRequest(byte[] payload) throws CorruptFrameException {
        return decodeFileRequest(payload, "ListFilesRequest");
    }

    private static FileRequest decodeFileRequest(byte[] payload, String name) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, name);
        String path = "";
        if (in.openObject()) {
            for (String field = in.nextField(FILE_REQUEST_FIELDS); field != null; field = in.nextField(FILE_REQUEST_FIELDS)) {
                if (field.equals("path")) {
                    path = in.string(field, path);
                } else {
                    in.skipValue();
                }
            }
            in.finish();
        }
        return new FileRequest(path);
    }

    // ---------------------------------------------------------------- FileResponse

    /**
     * The JSON of {@code response}: {@code content}, {@code files}, {@code error}, each only if not
     * empty, so a successful write is {@code {}}; each entry of {@code files} has all four of its
     * fields. For a large file, {@link #fileResultWithContent} streams the content instead.
     */
    public static byte[] encode(FileResponse response) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + base64Size(response.sharedContent())
                + sizeOfFiles(response.files()) + response.error().length());
        out.startObject();
        writeBytes(out, "content", response.sharedContent());
        if (!response.files().isEmpty()) {
            out.name("files");
            out.startArray();
            for (FileInfo f : response.files()) {
                writeFileInfo(out, f);
            }
            out.endArray();
        }
        writeString(out, "error", response.error());
        out.endObject();
        return out.toByteArray();
    }

    /**
     * The length of {@code info}'s JSON as an element of {@code files}, comma included: what a
     * listing adds to its reply, so that the agent can stop before a reply outgrows its frame.
     */
    public static long encodedLength(FileInfo info) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + info.name().length());
        writeFileInfo(out, info);
        return out.toByteArray().length + 1L;
    }

    private static void writeFileInfo(JsonWriter out, FileInfo f) {
        out.startObject();
        out.name("name");
        out.string(f.name());
        out.name("size");
        out.number(f.size());
        out.name("mode");
        out.number(f.mode());
        out.name("is_dir");
        out.bool(f.isDir());
        out.endObject();
    }

    /**
     * A FileResult that carries {@code contentLength} bytes of a file, streamed into the frame as
     * base64 ({@link StreamedPayload#writeTo}): {@code {"content":"..."}}, or {@code {}} for an
     * empty file, as {@link #encode(FileResponse)} writes them.
     */
    public static StreamedPayload fileResultWithContent(long contentLength) {
        if (contentLength == 0) {
            return new StreamedPayload(new byte[] {'{'}, 0, new byte[] {'}'});
        }
        JsonWriter head = new JsonWriter(STRUCTURE_BYTES);
        head.startObject();
        head.name("content");
        return new StreamedPayload(quoteOpened(head), contentLength, new byte[] {'"', '}'});
    }

    /** Reads the JSON of a {@link FileResponse} held whole. */
    public static FileResponse decodeFileResponse(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "FileResponse");
        byte[] content = null;
        List<FileInfo> files = null;
        String error = "";
        if (in.openObject()) {
            for (String field = in.nextField(FILE_RESPONSE_FIELDS); field != null; field = in.nextField(FILE_RESPONSE_FIELDS)) {
                switch (field) {
                    case "content" -> content = in.base64(field);
                    case "files" -> files = readFileInfos(in, field);
                    case "error" -> error = in.string(field, error);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new FileResponse(content, files, error);
    }

    /**
     * Reads a FileResult as it arrives, with its {@code content} decoded from base64 straight into
     * {@code content} rather than held: for a host that reads a file of up to 16 MiB into a stream.
     * The other fields are read as values, each of at most {@value JsonStreamReader#VALUE_LIMIT}
     * bytes (a listing is read whole with {@link #decodeFileResponse}).
     *
     * @return the response with an empty content
     */
    public static FileResponse decodeFileResult(InputStream payload, OutputStream content) throws IOException {
        JsonStreamReader in = new JsonStreamReader(payload, "FileResponse");
        List<FileInfo> files = null;
        String error = "";
        if (in.openObject()) {
            for (String field = in.nextField(FILE_RESPONSE_FIELDS); field != null; field = in.nextField(FILE_RESPONSE_FIELDS)) {
                switch (field) {
                    case "content" -> in.base64(field, new Unclosed(content));
                    case "files" -> {
                        JsonReader value = in.value(field);
                        files = readFileInfos(value, field);
                        value.finish();
                    }
                    case "error" -> {
                        JsonReader value = in.value(field);
                        error = value.string(field, error);
                        value.finish();
                    }
                    default -> in.value(field).skipValue();
                }
            }
        }
        in.finish();
        return new FileResponse(null, files, error);
    }

    private static List<FileInfo> readFileInfos(JsonReader in, String field) throws CorruptFrameException {
        List<FileInfo> files = new ArrayList<>();
        if (!in.openArray(field, "an array of objects")) {
            return files;
        }
        for (boolean first = true; in.nextInArray(first); first = false) {
            String element = field + "[" + files.size() + "]";
            String name = "";
            long size = 0;
            long mode = 0;
            boolean isDir = false;
            if (in.openNestedObject(element)) {
                for (String f = in.nextInObject(true, FILE_INFO_FIELDS); f != null; f = in.nextInObject(false, FILE_INFO_FIELDS)) {
                    switch (f) {
                        case "name" -> name = in.string(element + ".name", name);
                        case "size" -> size = in.integer(element + ".size", Long.MIN_VALUE, Long.MAX_VALUE, size);
                        case "mode" -> mode = in.integer(element + ".mode", 0, GoFileMode.LARGEST, mode);
                        case "is_dir" -> isDir = in.bool(element + ".is_dir", isDir);
                        default -> in.skipValue();
                    }
                }
            }
            files.add(new FileInfo(name, size, mode, isDir));
        }
        return files;
    }

    /** The writer's bytes and an opening quote: the head of a payload whose base64 string follows. */
    private static byte[] quoteOpened(JsonWriter head) {
        byte[] bytes = head.toByteArray();
        byte[] opened = Arrays.copyOf(bytes, bytes.length + 1);
        opened[bytes.length] = '"';
        return opened;
    }

    /** A closing quote and the writer's bytes (a comma first, as the writer wrote one after no value): the tail after a base64 string. */
    private static byte[] quoteClosed(JsonWriter tail) {
        byte[] bytes = tail.toByteArray();
        byte[] closed = new byte[bytes.length + 2];
        closed[0] = '"';
        closed[1] = ',';
        System.arraycopy(bytes, 0, closed, 2, bytes.length);
        return closed;
    }

    /** A stream the decoder may close without closing the caller's. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
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

    static void writeString(JsonWriter out, String field, String value) {
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

    private static long sizeOfFiles(List<FileInfo> files) {
        long size = 0;
        for (FileInfo f : files) {
            size += f.name().length() + 64;
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
